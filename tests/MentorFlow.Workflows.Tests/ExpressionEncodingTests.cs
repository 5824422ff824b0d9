using System.Text.Json.Nodes;
using MentorFlow.Workflows.Activities;
using MentorFlow.Workflows.Descriptors;
using MentorFlow.Workflows.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Workflows.Tests;

/// <summary>
/// Inputs declare where their text goes (<see cref="InputContent"/>): Liquid in an HTML input encodes the values it
/// inserts, single-line and plain-text inputs lose control characters whatever the syntax, values stay as evaluated.
/// </summary>
public sealed class ExpressionEncodingTests : EngineTestBase
{
    private const string Hostile = "</strong><a href=\"https://evil.example/x\">Confirm</a><strong>\r\nBcc: x@evil.example\u0007";

    private async Task<JsonObject> RenderAsync(string type, string html, string line, string text, string value, Flow? flow = null)
    {
        var details = await RunAsync((flow ?? Flow.Create())
            .Add("r", "Test.RenderContent", ("html", Flow.Expr(type, html)), ("line", Flow.Expr(type, line)), ("text", Flow.Expr(type, text)), ("value", Flow.Expr(type, value))),
            new Dictionary<string, object?> { ["Name"] = Hostile, ["Trusted"] = "<ul><li>Guide</li></ul>" });
        Assert.Empty(details.Incidents);
        return details.Output;
    }

    [Fact]
    public async Task Liquid_InHtmlInput_EncodesValuesFromData_KeepsTheTemplatesMarkup_AndRawInsertsTrustedHtml()
    {
        var output = await RenderAsync("Liquid", "<p>Hello <strong>{{ Input.Name }}</strong></p>{{ Input.Trusted | raw }}", "Hi {{ Input.Name }}", "Hi {{ Input.Name }}", "{{ Input.Name }}");

        Assert.Equal(
            "<p>Hello <strong>&lt;/strong&gt;&lt;a href=&quot;https://evil.example/x&quot;&gt;Confirm&lt;/a&gt;&lt;strong&gt;&#xD;&#xA;Bcc: x@evil.example&#x7;</strong></p><ul><li>Guide</li></ul>",
            output["html"]!.GetValue<string>());
        Assert.Equal("Hi </strong><a href=\"https://evil.example/x\">Confirm</a><strong> Bcc: x@evil.example", output["line"]!.GetValue<string>());
        Assert.Equal("Hi </strong><a href=\"https://evil.example/x\">Confirm</a><strong>\nBcc: x@evil.example", output["text"]!.GetValue<string>());
        Assert.Equal(Hostile, output["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Liquid_InHtmlInput_EncodesFilteredAndAssignedValues_ButNotCapturedMarkupTwice()
    {
        var output = await RenderAsync("Liquid",
            "{{ Input.Name | upcase | truncate: 12 }}|{% assign n = Input.Name %}{{ n }}|{% capture c %}<em>{{ Input.Name | escape }}</em>{% endcapture %}{{ c }}|{{ 'José & Zoë' }}",
            "", "", "");

        Assert.Equal(
            "&lt;/STRONG&gt;...|&lt;/strong&gt;&lt;a href=&quot;https://evil.example/x&quot;&gt;Confirm&lt;/a&gt;&lt;strong&gt;&#xD;&#xA;Bcc: x@evil.example&#x7;"
            + "|<em>&lt;/strong&gt;&lt;a href=&quot;https://evil.example/x&quot;&gt;Confirm&lt;/a&gt;&lt;strong&gt;\r\nBcc: x@evil.example\u0007</em>|José &amp; Zoë",
            output["html"]!.GetValue<string>());
    }

    [Fact]
    public async Task Liquid_ValueHoldingLiquidMarkup_IsNotRenderedAgain()
    {
        var flow = Flow.Create().Var("Secret", "String", "s3cret");
        var details = await RunAsync(flow.Add("r", "Test.RenderContent", ("html", Flow.Expr("Liquid", "{{ Input.Name }}")), ("value", Flow.Expr("Liquid", "{{ Input.Name }}"))),
            new Dictionary<string, object?> { ["Name"] = "{{ Secret }}{% raw %}" });

        Assert.Equal("{{ Secret }}{% raw %}", details.Output["html"]!.GetValue<string>());
        Assert.Equal("{{ Secret }}{% raw %}", details.Output["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task JavaScript_ResultInHtmlInput_IsTheScriptsOwnText_NeverRenderedAsLiquid_AndSingleLineIsStillCleaned()
    {
        var output = await RenderAsync("JavaScript", "'<p>{{ Secret }}</p>' + input.Name", "'Hi\\r\\n' + input.Name", "'a\\r\\nb\\u0000c'", "input.Name",
            Flow.Create().Var("Secret", "String", "s3cret"));

        Assert.Equal("<p>{{ Secret }}</p>" + Hostile, output["html"]!.GetValue<string>());
        Assert.Equal("Hi </strong><a href=\"https://evil.example/x\">Confirm</a><strong> Bcc: x@evil.example", output["line"]!.GetValue<string>());
        Assert.Equal("a\nbc", output["text"]!.GetValue<string>());
        Assert.Equal(Hostile, output["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task Literal_InSingleLineInput_LosesItsLineBreaks_AndHtmlLiteralIsTheAuthorsMarkup()
    {
        var output = await RenderAsync("Literal", "<p>{{ not liquid }}</p>", "Hello\r\nBcc: x@evil.example", "a\r\nb", "a\r\nb");

        Assert.Equal("<p>{{ not liquid }}</p>", output["html"]!.GetValue<string>());
        Assert.Equal("Hello Bcc: x@evil.example", output["line"]!.GetValue<string>());
        Assert.Equal("a\nb", output["text"]!.GetValue<string>());
        Assert.Equal("a\r\nb", output["value"]!.GetValue<string>());
    }

    [Fact]
    public void Descriptor_CarriesTheDeclaredContentKind()
    {
        var descriptor = Host.Services.GetRequiredService<IActivityRegistry>().Find("Test.RenderContent")!;

        Assert.Equal(InputContent.Html, descriptor.Inputs.Single(i => i.Name == "Html").Content);
        Assert.Equal(InputContent.SingleLine, descriptor.Inputs.Single(i => i.Name == "Line").Content);
        Assert.Equal(InputContent.PlainText, descriptor.Inputs.Single(i => i.Name == "Text").Content);
        Assert.Equal(InputContent.Value, descriptor.Inputs.Single(i => i.Name == "Value").Content);
    }

    [Theory]
    [InlineData("Hello\r\nBcc: x@evil.example", "Hello Bcc: x@evil.example")]
    [InlineData("a\n\n\nb\tc", "a b c")]
    [InlineData("a\u2028b\u0085c\u0000d\u001be", "a b cde")]
    [InlineData("plain subject", "plain subject")]
    public void SingleLine_ReplacesLineBreaksWithOneSpace_AndDropsControlCharacters(string text, string expected) =>
        Assert.Equal(expected, InputText.SingleLine(text));

    [Theory]
    [InlineData("a\r\nb\rc\nd", "a\nb\nc\nd")]
    [InlineData("a\tb\u0000\u0007c\u2029d", "a\tbc\nd")]
    public void PlainText_NormalisesLineBreaks_AndDropsOtherControlCharacters(string text, string expected) =>
        Assert.Equal(expected, InputText.PlainText(text));
}
