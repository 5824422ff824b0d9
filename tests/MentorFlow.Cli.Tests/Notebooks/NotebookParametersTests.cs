using MentorFlow.Cli.Notebooks;
using Microsoft.DotNet.Interactive.Documents;

namespace MentorFlow.Cli.Tests.Notebooks;

public sealed class NotebookParametersTests
{
    private static InteractiveDocument Document(string parameters) =>
        new([
            new InteractiveDocumentElement("# Title", "markdown"),
            new InteractiveDocumentElement(parameters, "csharp"),
            new InteractiveDocumentElement("var Other = 1;", "csharp"),
        ]);

    [Fact]
    public void Apply_RewritesEachLiteralKindKeepingOtherDeclarations()
    {
        var document = Document("// Parameters\nvar Name = \"a\";\nvar Count = 1;\nvar Rate = 0.5;\nvar Cost = 1.5m;\nvar Big = 2L;\nvar On = false;\nstring Typed = \"x\";\nint Kept = 3;");

        var applied = NotebookParameters.Apply(document, new Dictionary<string, string>
        {
            ["Name"] = "C:\\path \"q\"",
            ["Count"] = "7",
            ["Rate"] = "0.25",
            ["Cost"] = "2.75",
            ["Big"] = "9000000000",
            ["On"] = "true",
            ["Typed"] = "y",
        });

        var code = document.Elements[1].Contents;
        Assert.Equal(7, applied.Count);
        Assert.Contains("var Name = \"C:\\\\path \\\"q\\\"\";", code, StringComparison.Ordinal);
        Assert.Contains("var Count = 7;", code, StringComparison.Ordinal);
        Assert.Contains("var Rate = 0.25d;", code, StringComparison.Ordinal);
        Assert.Contains("var Cost = 2.75m;", code, StringComparison.Ordinal);
        Assert.Contains("var Big = 9000000000L;", code, StringComparison.Ordinal);
        Assert.Contains("var On = true;", code, StringComparison.Ordinal);
        Assert.Contains("string Typed = \"y\";", code, StringComparison.Ordinal);
        Assert.Contains("int Kept = 3;", code, StringComparison.Ordinal);
        Assert.Equal("var Other = 1;", document.Elements[2].Contents);
    }

    [Fact]
    public void Apply_WhenTheParameterIsAnExpression_RefusesNamingIt()
    {
        var document = Document("// Parameters\nvar Start = DateTime.Today;");

        var error = Assert.Throws<NotebookParameterException>(() => NotebookParameters.Apply(document, new Dictionary<string, string> { ["Start"] = "2026-01-01" }));

        Assert.Equal("Start", error.Parameter);
        Assert.Contains("not a literal", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Count", "1.5", "whole number")]
    [InlineData("Rate", "lots", "a number")]
    [InlineData("On", "yes", "true or false")]
    public void Apply_WithAValueOfTheWrongType_SaysWhatIsExpected(string name, string value, string expected)
    {
        var document = Document("// Parameters\nvar Count = 1;\nvar Rate = 0.5;\nvar On = false;");

        var error = Assert.Throws<NotebookParameterException>(() => NotebookParameters.Apply(document, new Dictionary<string, string> { [name] = value }));

        Assert.Equal(name, error.Parameter);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FindCell_PrefersTheParametersTagOverTheComment()
    {
        var tagged = new InteractiveDocumentElement("var B = 2;", "csharp");
        tagged.Metadata ??= new Dictionary<string, object>();
        tagged.Metadata["tags"] = new object[] { "parameters" };
        var document = new InteractiveDocument([new InteractiveDocumentElement("// Parameters\nvar A = 1;", "csharp"), tagged]);

        Assert.Same(tagged, NotebookParameters.FindCell(document));
        Assert.Equal(["B"], NotebookParameters.Read(document).Select(p => p.Name));
    }

    [Fact]
    public void Read_WithoutAParametersCell_IsEmpty()
    {
        Assert.Empty(NotebookParameters.Read(new InteractiveDocument([new InteractiveDocumentElement("var A = 1;", "csharp")])));
    }

    [Theory]
    [InlineData("NoEquals")]
    [InlineData("=value")]
    [InlineData("1abc=2")]
    public void ParseOverrides_RejectsPairsThatAreNotNameEqualsValue(string pair)
    {
        var error = Assert.Throws<NotebookParameterException>(() => NotebookParameters.ParseOverrides([pair]));

        Assert.Contains(pair, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseOverrides_KeepsEqualsSignsInTheValue()
    {
        Assert.Equal("a=b", NotebookParameters.ParseOverrides(["Query=a=b"])["Query"]);
    }
}
