using MentorFlow.Server.Mentoring.Forms;
using MentorFlow.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MentorFlow.Server.Tests.Forms;

/// <summary>The participant pages' words (FormStrings.resx and FormStrings.es.resx) in both languages.</summary>
public sealed class FormStringsTests(ServerFactory server) : IClassFixture<ServerFactory>
{
    [Fact]
    public void EveryKey_HasATextInEnglishAndInSpanish()
    {
        var words = server.Services.GetRequiredService<FormStringsFactory>();

        var english = words.For("en").Own();
        var spanish = words.For("es").Own();

        Assert.True(english.Count > 50, $"only {english.Count} English texts were found");
        Assert.Empty(english.Keys.Except(spanish.Keys));
        Assert.Empty(spanish.Keys.Except(english.Keys));
        Assert.DoesNotContain(english.Concat(spanish), entry => string.IsNullOrWhiteSpace(entry.Value));
    }

    [Fact]
    public void Spanish_IsSpanish_AndAnyOtherLanguageGetsEnglish()
    {
        var words = server.Services.GetRequiredService<FormStringsFactory>();

        Assert.Equal("Enviar", words.For("es")["Submit"]);
        Assert.Equal("Send", words.For("en")["Submit"]);
        Assert.Equal("en", words.For("fr").Language);
        Assert.Equal("Send", words.For("fr")["Submit"]);
    }
}
