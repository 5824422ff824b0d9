using MentorFlow.Reporting.Data;
using MentorFlow.Reporting.Matching;
using MentorFlow.Reporting.Tests.Data;

namespace MentorFlow.Reporting.Tests.Matching;

public sealed class MatchReportTests
{
    [Theory]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("a|b", @"a\|b")]
    [InlineData("**loud** [link](https://evil.example)", @"\*\*loud\*\* \[link\](https://evil.example)")]
    [InlineData("two\nlines", "two lines")]
    [InlineData("software-engineering", "software-engineering")]
    public void Text_FromAnApplication_IsLiteralMarkdown(string value, string expected) =>
        Assert.Equal(expected, MatchReport.Text(value));

    [Fact]
    public void Markdown_ShortageTable_EscapesWhatApplicantsWrote_SoACellCannotAddColumnsOrHtml()
    {
        var hostile = "<script>alert(1)</script>|x";
        Application[] people =
        [
            TestData.Application("m", Role.Mentor, capacity: 1),
            .. Enumerable.Range(0, 3).Select(i => TestData.Application($"e{i}", Role.Mentee, interests: [hostile], careerPath: "ops|<b>")),
        ];
        var model = MatchModel.ColdStart("no history yet", seed: 3);
        var options = new AssignmentOptions();
        var assignment = Assigner.Assign(model.Score(people), options);

        var markdown = MatchReport.Markdown(model, assignment, options);

        Assert.NotEmpty(assignment.Shortage);
        Assert.DoesNotContain("<script>", markdown);
        Assert.DoesNotContain("<b>", markdown);
        var row = markdown.Split('\n').Single(l => l.StartsWith("| ops", StringComparison.Ordinal));
        Assert.Contains(@"&lt;script&gt;alert(1)&lt;/script&gt;\|x", row);
        Assert.Equal(8, row.Replace(@"\|", "", StringComparison.Ordinal).Count(c => c == '|')); // seven cells, as in the header
    }
}
