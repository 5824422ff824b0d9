using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Mentoring.Tests;

public sealed class LinkTests
{
    private readonly FakeTimeProvider _clock = new(MentoringFixture.Start);

    private ParticipantLinks Links(string key = "0123456789abcdef0123456789abcdef-key") =>
        new(Options.Create(new LinkOptions { SigningKey = key, PublicBaseUrl = "https://m.test/", DefaultLifetime = TimeSpan.FromDays(3) }), _clock);

    [Fact]
    public void Verify_OfAnIssuedLink_ReturnsItsClaims()
    {
        var programme = Guid.NewGuid();
        var token = Links().Issue(LinkPurpose.ConfirmMatch, programme, "participant-1", "pair-9");

        var check = Links().Verify(token);

        Assert.Equal(LinkState.Valid, check.State);
        Assert.Equal((LinkPurpose.ConfirmMatch, programme, "participant-1", "pair-9"), (check.Claims!.Purpose, check.Claims.ProgrammeId, check.Claims.Participant, check.Claims.Subject));
        Assert.Equal(MentoringFixture.Start.AddDays(3), check.Claims.ExpiresAt);
        Assert.Equal("https://m.test/forms/" + token, Links().Url(token));
    }

    [Fact]
    public void Verify_WhenPayloadIsAltered_IsTampered()
    {
        var token = Links().Issue(LinkPurpose.Poll, Guid.NewGuid(), "a@c.test");
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token[..token.IndexOf('.', StringComparison.Ordinal)])));
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload.Replace("a@c.test", "b@c.test", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(LinkState.Tampered, Links().Verify(forged + token[token.IndexOf('.', StringComparison.Ordinal)..]).State);
    }

    [Fact]
    public void Verify_WhenSignedWithAnotherKey_IsTampered()
    {
        var token = Links("another-key-another-key-another-key!!").Issue(LinkPurpose.Poll, Guid.NewGuid(), "a@c.test");

        Assert.Equal(LinkState.Tampered, Links().Verify(token).State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("abc.def")]
    [InlineData("!!!.???")]
    public void Verify_OfGarbage_IsMalformed(string token) =>
        Assert.Contains(Links().Verify(token).State, new[] { LinkState.Malformed, LinkState.Tampered });

    [Fact]
    public void Verify_AfterLifetime_IsExpired()
    {
        var token = Links().Issue(LinkPurpose.Poll, Guid.NewGuid(), "a@c.test");
        _clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(LinkState.Expired, Links().Verify(token).State);
    }

    private static string Pad(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return padded + (padded.Length % 4 == 2 ? "==" : padded.Length % 4 == 3 ? "=" : "");
    }
}
