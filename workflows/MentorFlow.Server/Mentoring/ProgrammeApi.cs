using System.Security.Claims;
using MentorFlow.Mentoring.Automation;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;
using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MentorFlow.Server.Mentoring;

public sealed record ProgrammeList(IReadOnlyList<Programme> Items);

public sealed record PhaseChange(ProgrammePhase? Phase);

public sealed record LinkRequest(LinkPurpose? Purpose, string? Participant, string? Subject, int? LifetimeDays);

public sealed record IssuedLink(string Url, string Token, DateTimeOffset ExpiresAt);

public sealed record PollOverview(PollResults Results, int RecruitmentCandidates);

public sealed record EmailRequest(string? Email);

public sealed record MatchRunRequest(double? MinScore);

/// <summary>The application form's pick-lists as sent by a manager (each list optional: a missing one is emptied).</summary>
public sealed record VocabularyInput(IReadOnlyList<string?>? Interests, IReadOnlyList<string?>? CareerPaths, IReadOnlyList<string?>? Goals);

/// <summary>The programme REST API (<c>/api/programmes</c>) and privacy requests (<c>/api/participants</c>); managers only.</summary>
public static class ProgrammeApi
{
    public static IEndpointRouteBuilder MapProgrammeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/programmes").WithTags("Programmes")
            .RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy)
            .AddEndpointFilter<MentoringProblemFilter>();

        group.MapGet("/", async (ProgrammeService programmes, CancellationToken ct) =>
            TypedResults.Ok(new ProgrammeList(await programmes.ListAsync(ct)))).WithName("ListProgrammes");
        group.MapPost("/", async (ProgrammeInput input, ProgrammeService programmes, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var programme = await programmes.CreateAsync(input, ManagerKeyIdentity.ActorOf(user), ct);
            return TypedResults.Created($"/api/programmes/{programme.Id}", programme);
        }).WithName("CreateProgramme");
        group.MapGet("/{id:guid}", async (Guid id, ProgrammeService programmes, CancellationToken ct) =>
            TypedResults.Ok(await programmes.GetAsync(id, ct))).WithName("GetProgramme");
        group.MapPut("/{id:guid}", async (Guid id, ProgrammeInput input, ProgrammeService programmes, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await programmes.UpdateAsync(id, input, ManagerKeyIdentity.ActorOf(user), ct))).WithName("UpdateProgramme");
        group.MapGet("/{id:guid}/vocabulary", async (Guid id, ProgrammeService programmes, CancellationToken ct) =>
            TypedResults.Ok((await programmes.GetAsync(id, ct)).Terms())).WithName("GetProgrammeVocabulary");
        group.MapPut("/{id:guid}/vocabulary", async (Guid id, VocabularyInput input, ProgrammeService programmes, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await programmes.SetVocabularyAsync(
                id, ProgrammeVocabulary.Validate(input.Interests, input.CareerPaths, input.Goals), ManagerKeyIdentity.ActorOf(user), ct)))
            .WithName("SetProgrammeVocabulary");
        group.MapPost("/{id:guid}/open", (Guid id, ProgrammeService programmes, MentoringAutomationHub automation, ClaimsPrincipal user, CancellationToken ct) =>
            MoveAsync(id, ProgrammePhase.Poll, programmes, automation, user, ct)).WithName("OpenProgramme");
        group.MapPost("/{id:guid}/close", (Guid id, ProgrammeService programmes, MentoringAutomationHub automation, ClaimsPrincipal user, CancellationToken ct) =>
            MoveAsync(id, ProgrammePhase.Closed, programmes, automation, user, ct)).WithName("CloseProgramme");
        group.MapPost("/{id:guid}/phase", (Guid id, PhaseChange change, ProgrammeService programmes, MentoringAutomationHub automation, ClaimsPrincipal user, CancellationToken ct) =>
            change.Phase is { } phase && Enum.IsDefined(phase)
                ? MoveAsync(id, phase, programmes, automation, user, ct)
                : throw MentoringProblemException.Invalid("phase", $"Choose one of {string.Join(", ", Enum.GetNames<ProgrammePhase>())}."))
            .WithName("ChangeProgrammePhase");

        group.MapPost("/{id:guid}/members", async (Guid id, HttpRequest request, ProgrammeService programmes, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await programmes.ImportMembersAsync(id, await RequestText.ReadAsync(request, "members.csv", ct), ManagerKeyIdentity.ActorOf(user), ct)))
            .Accepts<string>("text/csv").WithName("ImportCommunityMembers");
        group.MapGet("/{id:guid}/members", async (Guid id, ProgrammeService programmes, CancellationToken ct) =>
            TypedResults.Ok(await programmes.MembersAsync(id, ct))).WithName("ListCommunityMembers");
        group.MapGet("/{id:guid}/poll", async (Guid id, ProgrammeService programmes, CancellationToken ct) =>
            TypedResults.Ok(new PollOverview(await programmes.PollResultsAsync(id, ct), (await programmes.RecruitmentCandidatesAsync(id, ct)).Count)))
            .WithName("GetPollResults");

        group.MapPost("/{id:guid}/applications", async (Guid id, ApplicationInput input, ParticipationService participation, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var application = await participation.AddAsync(id, input, ManagerKeyIdentity.ActorOf(user), ct);
            return TypedResults.Created($"/api/programmes/{id}/applications/{application.Id}", application);
        }).WithName("AddApplication");
        group.MapPost("/{id:guid}/applications/import", async (Guid id, HttpRequest request, ParticipationService participation, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await participation.ImportAsync(id, await RequestText.ReadAsync(request, "applications.csv", ct), ManagerKeyIdentity.ActorOf(user), ct)))
            .Accepts<string>("text/csv").WithName("ImportApplications");
        group.MapGet("/{id:guid}/applications", async (Guid id, ParticipationService participation, CancellationToken ct) =>
            TypedResults.Ok(await participation.ListAsync(id, ct))).WithName("ListApplications");

        group.MapPost("/{id:guid}/links", async (Guid id, LinkRequest request, ProgrammeService programmes, ParticipantLinks links, CancellationToken ct) =>
        {
            await programmes.GetAsync(id, ct);
            var errors = new FieldErrors();
            if (request.Purpose is not { } purpose || !Enum.IsDefined(purpose))
            {
                errors.Add("purpose", $"Choose one of {string.Join(", ", Enum.GetNames<LinkPurpose>())}.");
            }

            if (string.IsNullOrWhiteSpace(request.Participant) || request.Participant.Contains('|', StringComparison.Ordinal))
            {
                errors.Add("participant", "The participant (an email for Poll/Apply, an application id otherwise) is required.");
            }
            else if (request.Purpose is LinkPurpose.Poll or LinkPurpose.Apply && !Vocabulary.IsEmail(request.Participant.Trim()))
            {
                errors.Add("participant", "Poll and Apply links are for an email address.");
            }

            if (request.Subject?.Contains('|', StringComparison.Ordinal) == true)
            {
                errors.Add("subject", "The subject must not contain '|'.");
            }

            if (request.LifetimeDays is < 1 or > 365)
            {
                errors.Add("lifetimeDays", "Use 1 to 365 days.");
            }

            errors.ThrowIfAny();
            var token = links.Issue(request.Purpose!.Value, id, request.Participant!.Trim(), request.Subject?.Trim() ?? "",
                request.LifetimeDays is { } days ? TimeSpan.FromDays(days) : null);
            return TypedResults.Ok(new IssuedLink(links.Url(token), token, links.Verify(token).Claims!.ExpiresAt));
        }).WithName("IssueParticipantLink");

        group.MapGet("/{id:guid}/matching", async (Guid id, MatchingService matching, CancellationToken ct) =>
            TypedResults.Ok(await matching.ReviewAsync(id, ct))).WithName("GetMatchReview");
        group.MapPost("/{id:guid}/matching/run", async (Guid id, MatchRunRequest? request, MatchingService matching, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await matching.RunAsync(id, request?.MinScore, ManagerKeyIdentity.ActorOf(user), ct))).WithName("RunMatching");
        group.MapPost("/{id:guid}/matching/pin", async (Guid id, MatchConstraintInput input, MatchingService matching, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await matching.ConstrainAsync(id, MatchConstraintKind.Pin, input, ManagerKeyIdentity.ActorOf(user), ct))).WithName("PinPair");
        group.MapPost("/{id:guid}/matching/forbid", async (Guid id, MatchConstraintInput input, MatchingService matching, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await matching.ConstrainAsync(id, MatchConstraintKind.Forbid, input, ManagerKeyIdentity.ActorOf(user), ct))).WithName("ForbidPair");
        group.MapPost("/{id:guid}/matching/release", async (Guid id, MatchConstraintInput input, MatchingService matching, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await matching.ReleaseAsync(id, input, ManagerKeyIdentity.ActorOf(user), ct))).WithName("ReleasePair");
        group.MapPost("/{id:guid}/matching/swap", async (Guid id, SwapInput input, MatchingService matching, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await matching.SwapAsync(id, input, ManagerKeyIdentity.ActorOf(user), ct))).WithName("SwapPairs");
        group.MapPost("/{id:guid}/matching/approve", async (Guid id, MatchingService matching, MentoringAutomationHub automation, ClaimsPrincipal user, CancellationToken ct) =>
        {
            // The approval and the flows it starts commit together (a crash after the commit leaves them to recovery).
            await matching.ApproveMatchesAsync(id, ManagerKeyIdentity.ActorOf(user), automation, ct);
            return TypedResults.Ok(await matching.ReviewAsync(id, ct));
        }).WithName("ApproveMatches");
        group.MapPost("/{id:guid}/pairs/{pairId:guid}/close", async (Guid id, Guid pairId, PartnershipService partnership, MentoringAutomationHub automation, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var pair = await partnership.CloseAsync(pairId, ManagerKeyIdentity.ActorOf(user), ct);
            if (pair.ProgrammeId != id)
            {
                throw MentoringProblemException.NotFound("pairId", $"There is no pair {pairId} in this programme.");
            }

            await automation.PairClosedAsync(pair, ct);
            return TypedResults.Ok(pair);
        }).WithName("ClosePair");

        group.MapGet("/{id:guid}/export/{file}", async (Guid id, string file, ExportService exports, CancellationToken ct) =>
            TypedResults.Text(await exports.ExportAsync(id, file, ct), "text/csv; charset=utf-8")).WithName("ExportProgrammeCsv");

        var participants = app.MapGroup("/api/participants").WithTags("Privacy")
            .RequireAuthorization(ManagerAuthenticationExtensions.ManagerPolicy)
            .AddEndpointFilter<MentoringProblemFilter>();
        participants.MapPost("/export", async (EmailRequest request, PrivacyService privacy, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await privacy.ExportAsync(request.Email ?? "", ManagerKeyIdentity.ActorOf(user), ct))).WithName("ExportParticipantData");
        // The person's flows are cancelled and scrubbed in the erasure's transaction (none is left to tell of the
        // closed pairs); the invites they had sent get queued cancellations.
        participants.MapPost("/erase", async (EmailRequest request, PrivacyService privacy, ClaimsPrincipal user, CancellationToken ct) =>
            TypedResults.Ok(await privacy.EraseAsync(request.Email ?? "", ManagerKeyIdentity.ActorOf(user), ct))).WithName("EraseParticipant");
        return app;
    }

    private static async Task<Ok<Programme>> MoveAsync(
        Guid id, ProgrammePhase phase, ProgrammeService programmes, MentoringAutomationHub automation, ClaimsPrincipal user, CancellationToken ct)
    {
        // The phase and the flows it starts commit together (a crash after the commit leaves them to recovery).
        return TypedResults.Ok(await programmes.MoveToAsync(id, phase, ManagerKeyIdentity.ActorOf(user), automation, ct));
    }
}
