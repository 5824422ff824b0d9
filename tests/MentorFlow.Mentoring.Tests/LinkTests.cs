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
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1])));
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload.Replace("a@c.test", "b@c.test", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal("default", parts[0]);
        Assert.Equal(LinkState.Tampered, Links().Verify($"{parts[0]}.{forged}.{parts[2]}").State);
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

    private const string KeyA = "a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV-keyA";
    private const string KeyB = "Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-keyB";

    private ParticipantLinks Rotating(string? active, params (string Id, string Key)[] keys)
    {
        var options = new LinkOptions { PublicBaseUrl = "https://m.test", ActiveKeyId = active };
        foreach (var (id, key) in keys)
        {
            options.SigningKeys.Add(new LinkSigningKey { Id = id, Key = key });
        }

        return new ParticipantLinks(Options.Create(options), _clock);
    }

    [Fact]
    public void Issue_WithSeveralKeys_PutsTheActiveKeyIdInFront()
    {
        var token = Rotating("b", ("a", KeyA), ("b", KeyB)).Issue(LinkPurpose.Poll, Guid.NewGuid(), "a@c.test");

        Assert.StartsWith("b.", token, StringComparison.Ordinal);
        Assert.Equal(3, token.Split('.').Length);
    }

    [Fact]
    public void Verify_AfterKeyBBecomesActive_StillAcceptsALinkSignedWithKeyA()
    {
        var token = Rotating("a", ("a", KeyA)).Issue(LinkPurpose.ConfirmMatch, Guid.NewGuid(), "p1", "pair-1");

        var check = Rotating("b", ("a", KeyA), ("b", KeyB)).Verify(token);

        Assert.Equal(LinkState.Valid, check.State);
        Assert.Equal("p1", check.Claims!.Participant);
    }

    [Fact]
    public void Verify_WhenItsKeyWasRemoved_IsRefused()
    {
        var token = Rotating("a", ("a", KeyA), ("b", KeyB)).Issue(LinkPurpose.Poll, Guid.NewGuid(), "a@c.test");

        Assert.Equal(LinkState.Tampered, Rotating("b", ("b", KeyB)).Verify(token).State);
    }

    [Fact]
    public void Verify_WhenKeyIdIsSwappedForAnotherConfiguredKey_IsTampered()
    {
        var token = Rotating("a", ("a", KeyA), ("b", KeyB)).Issue(LinkPurpose.Poll, Guid.NewGuid(), "a@c.test");

        Assert.Equal(LinkState.Tampered, Rotating("a", ("a", KeyA), ("b", KeyB)).Verify("b" + token[1..]).State);
    }

    [Fact]
    public void Verify_OfALinkMadeBeforeKeyIds_UsesTheSingleSigningKeyAsDefault()
    {
        const string old = "0123456789abcdef0123456789abcdef-key";
        var programme = Guid.NewGuid();
        var payload = System.Text.Encoding.UTF8.GetBytes(string.Join('|', "v1", "Poll", programme.ToString("N"), "a@c.test", "",
            MentoringFixture.Start.AddDays(1).ToUnixTimeSeconds(), "00ff"));
        var legacy = B64(payload) + "." + B64(System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(old), payload));
        var options = new LinkOptions { SigningKey = old, PublicBaseUrl = "https://m.test", ActiveKeyId = "next" };
        options.SigningKeys.Add(new LinkSigningKey { Id = "next", Key = KeyB });
        var links = new ParticipantLinks(Options.Create(options), _clock);

        var check = links.Verify(legacy);

        Assert.Equal(LinkState.Valid, check.State);
        Assert.Equal(programme, check.Claims!.ProgrammeId);
        Assert.StartsWith("next.", links.Issue(LinkPurpose.Poll, programme, "a@c.test"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("short-passphrase", "Mentoring:Links:SigningKey must be at least 32 characters")]
    [InlineData("passwordpasswordpasswordpassword", "Mentoring:Links:SigningKey is too predictable")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Mentoring:Links:SigningKey is too predictable")]
    public void Validator_WhenSigningKeyIsWeak_RefusesItNamingTheSetting(string key, string expected)
    {
        var result = new LinkOptionsValidator(requireSigningKey: true, requirePublicBaseUrl: true)
            .Validate(null, new LinkOptions { SigningKey = key, PublicBaseUrl = "https://m.test" });

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validator_WhereNoKeyIsRequired_ChecksOnlyTheLengthOfAGivenKey()
    {
        var validator = new LinkOptionsValidator(requireSigningKey: false, requirePublicBaseUrl: false);

        Assert.True(validator.Validate(null, new LinkOptions { SigningKey = new string('s', 40) }).Succeeded);
        Assert.True(validator.Validate(null, new LinkOptions { SigningKey = "short-passphrase" }).Failed);
    }

    [Fact]
    public void Validator_WhenARandomHexOrBase64KeyIsGiven_AcceptsIt()
    {
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var base64 = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var validator = new LinkOptionsValidator(requireSigningKey: true, requirePublicBaseUrl: true);

        Assert.True(validator.Validate(null, new LinkOptions { SigningKey = hex, PublicBaseUrl = "https://m.test" }).Succeeded, hex);
        Assert.True(validator.Validate(null, new LinkOptions { SigningKey = base64, PublicBaseUrl = "https://m.test" }).Succeeded, base64);
    }

    [Fact]
    public void Validator_WhenPublicBaseUrlIsMissingOutsideDevelopment_NamesIt()
    {
        var result = new LinkOptionsValidator(requireSigningKey: false, requirePublicBaseUrl: true)
            .Validate(null, new LinkOptions { SigningKey = KeyA });

        Assert.StartsWith("Mentoring:Links:PublicBaseUrl is required", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_WhenSeveralKeysAndNoActiveKeyId_NamesActiveKeyId()
    {
        var options = new LinkOptions { PublicBaseUrl = "https://m.test" };
        options.SigningKeys.Add(new LinkSigningKey { Id = "a", Key = KeyA });
        options.SigningKeys.Add(new LinkSigningKey { Id = "b", Key = KeyB });

        var result = new LinkOptionsValidator(requireSigningKey: true, requirePublicBaseUrl: true).Validate(null, options);

        Assert.StartsWith("Mentoring:Links:ActiveKeyId is required", Assert.Single(result.Failures!), StringComparison.Ordinal);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Pad(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return padded + (padded.Length % 4 == 2 ? "==" : padded.Length % 4 == 3 ? "=" : "");
    }
}
