using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;
using MentorFlow.Server.Mentoring.Forms;
using MentorFlow.Server.Pages;
using MentorFlow.Server.Security;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Server.Mentoring;

/// <summary>
/// Participant forms on signed, expiring, single-purpose links (<c>/forms/{token}</c>): Razor components rendered on
/// the server (<c>Mentoring/Forms/</c>), accessible (labels, fieldsets, an error summary linked to the fields,
/// keyboard only, 4.5:1 contrast), mobile-friendly, in the programme's language. A valid submission resumes the
/// waiting flow; a used, expired or tampered link gets a friendly page.
/// </summary>
public static class ParticipantFormPages
{
    /// <summary>
    /// The forms' Content-Security-Policy: the site's stylesheet and the forms' script file from this server, nothing
    /// inline, posting back to this server, no framing.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; img-src 'self'; style-src 'self'; script-src 'self'";

    public static IEndpointRouteBuilder MapParticipantFormPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/forms/{token}", ShowAsync).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(WebProtection.FormsRateLimit);
        app.MapPost("/forms/{token}", SubmitAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery()
            .RequireRateLimiting(WebProtection.FormsRateLimit);
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, ParticipantLinks links, FormStringsFactory words, ProgrammeService programmes,
        ParticipationService participation, PartnershipService partnership, MentorChoiceService choices, CancellationToken ct)
    {
        var (claims, refusal) = await CheckAsync(token, links, words, programmes, participation, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        return await RenderAsync(claims!, FormState.Empty, words, programmes, participation, partnership, choices, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> SubmitAsync(string token, HttpContext http, ParticipantLinks links, FormStringsFactory words, ProgrammeService programmes,
        ParticipationService participation, PartnershipService partnership, MentorChoiceService choices, CancellationToken ct)
    {
        var (claims, refusal) = await CheckAsync(token, links, words, programmes, participation, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        var link = claims!;
        IFormCollection form;
        try
        {
            form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : new FormCollection(null);
        }
        catch (InvalidDataException)
        {
            form = new FormCollection(null);
        }

        var state = new FormState(form);
        var language = (await programmes.GetAsync(link.ProgrammeId, ct)).Language;
        var s = words.For(language);
        var said = ParticipantWords.For(language);
        try
        {
            // The long forms show what was entered before sending: "review" checks it (nothing saved) and shows the
            // summary, "edit" shows the form filled in again; "send" (or no step: a client without the summary) records.
            var step = FormSubmission.HasSummary(link.Purpose) ? state["step"] : null;
            if (step == "review")
            {
                await FormSubmission.CheckAsync(link, state, participation, ct);
                return await RenderAsync(link, state, words, programmes, participation, partnership, choices, StatusCodes.Status200OK, ct, review: true);
            }

            if (step == "edit")
            {
                return await RenderAsync(link, state, words, programmes, participation, partnership, choices, StatusCodes.Status200OK, ct);
            }

            // The answer, the spent link and the flows' starts and signals commit together (the services enlist them).
            string? chosenMentor = null;
            if (link.Purpose == LinkPurpose.ChooseMentor)
            {
                chosenMentor = await FormSubmission.ChooseAsync(link, state, choices, ct);
            }
            else
            {
                await FormSubmission.SubmitAsync(link, state, participation, partnership, ct);
            }

            return Message(s, "Thanks.Title", chosenMentor is null ? s["Thanks.Body"] : s.Format("ChooseMentor.Thanks", chosenMentor), StatusCodes.Status200OK);
        }
        catch (MentoringProblemException problem) when (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Nothing was saved (e.g. a flow it starts is not published right now): the link still works.
            return Message(s, "Unavailable.Title", s["Unavailable.Body"], StatusCodes.Status503ServiceUnavailable);
        }
        catch (MentoringProblemException problem) when (link.Purpose == LinkPurpose.ChooseMentor && problem.Errors.ContainsKey("mentor"))
        {
            // A mentor who is now full (409) or no mentor picked (400): choose again among those who still have room.
            state.Errors["mentor"] = problem.Status == StatusCodes.Status409Conflict ? s["ChooseMentor.Full"] : string.Join(" ", problem.ForParticipant("mentor", said));
            return await RenderAsync(link, state, words, programmes, participation, partnership, choices, problem.Status, ct);
        }
        catch (MentoringProblemException problem) when (problem.Status == StatusCodes.Status400BadRequest && !problem.Errors.ContainsKey("link"))
        {
            // In the participant's words and language (the API answers the precise, column-named messages).
            foreach (var field in problem.Errors.Keys)
            {
                state.Errors[field] = string.Join(" ", problem.ForParticipant(field, said));
            }

            return await RenderAsync(link, state, words, programmes, participation, partnership, choices, StatusCodes.Status400BadRequest, ct);
        }
        catch (MentoringProblemException problem) when (problem.Errors.ContainsKey("link") && problem.Status == StatusCodes.Status409Conflict)
        {
            return Message(s, "Used.Title", s["Used.Body"], StatusCodes.Status410Gone);
        }
        catch (MentoringProblemException problem) when (link.Purpose == LinkPurpose.Apply && problem.Errors.ContainsKey("email") && problem.Status == StatusCodes.Status409Conflict)
        {
            // Another application with this email (another link, or the same form sent twice at once) got in first.
            return Message(s, "AlreadyApplied.Title", s["AlreadyApplied.Body"], StatusCodes.Status409Conflict);
        }
        catch (MentoringProblemException problem) when (problem.Errors.ContainsKey("request") && problem.Status == StatusCodes.Status409Conflict)
        {
            return Message(s, "Conflict.Title", s["Conflict.Body"], StatusCodes.Status409Conflict);
        }
        catch (DbUpdateException)
        {
            // A write that collided with another one at the same moment: say what to do, never what the database said.
            return Message(s, "Conflict.Title", s["Conflict.Body"], StatusCodes.Status409Conflict);
        }
        catch (MentoringProblemException problem)
        {
            return Message(s, "Closed.Title", string.Join(" ", problem.Errors.SelectMany(e => e.Value)), problem.Status);
        }
    }

    private static async Task<(LinkClaims? Claims, IResult? Refusal)> CheckAsync(
        string token, ParticipantLinks links, FormStringsFactory words, ProgrammeService programmes, ParticipationService participation, CancellationToken ct)
    {
        var check = links.Verify(token);
        if (check.State is LinkState.Malformed or LinkState.Tampered)
        {
            var en = words.For("en");
            return (null, Message(en, "Invalid.Title", en["Invalid.Body"], StatusCodes.Status400BadRequest));
        }

        Programme programme;
        try
        {
            programme = await programmes.GetAsync(check.Claims!.ProgrammeId, ct);
        }
        catch (MentoringProblemException)
        {
            var en = words.For("en");
            return (null, Message(en, "Invalid.Title", en["Invalid.Body"], StatusCodes.Status404NotFound));
        }

        var s = words.For(programme.Language);
        if (check.State == LinkState.Expired)
        {
            return (null, Message(s, "Expired.Title", s["Expired.Body"], StatusCodes.Status410Gone));
        }

        if (await participation.IsUsedAsync(check.Claims, ct))
        {
            return (null, Message(s, "Used.Title", s["Used.Body"], StatusCodes.Status410Gone));
        }

        return (check.Claims, null);
    }

    /// <summary>The link's form with what was sent and its errors, or the page saying why the form is closed.</summary>
    private static async Task<IResult> RenderAsync(LinkClaims link, FormState state, FormStringsFactory words, ProgrammeService programmes,
        ParticipationService participation, PartnershipService partnership, MentorChoiceService choices, int status, CancellationToken ct, bool review = false)
    {
        var programme = await programmes.GetAsync(link.ProgrammeId, ct);
        var s = words.For(programme.Language);
        var model = new FormModel(link, programme, s, state) { Review = review, Intro = review ? s["Review.Intro"] : null };
        try
        {
            if (link.Purpose is LinkPurpose.Poll or LinkPurpose.Apply && !state.Posted)
            {
                model = model with { KnownName = await participation.KnownNameAsync(link, ct) };
            }

            if (link.Purpose == LinkPurpose.ChooseMentor)
            {
                var choice = await choices.LoadAsync(link, ct);
                if (choice.Choice.Status != MentorChoiceStatus.Open)
                {
                    var why = s[choice.Choice.Status == MentorChoiceStatus.Chosen ? "ChooseMentor.AlreadyChosen" : "ChooseMentor.Over"];
                    return Message(s, "Closed.Title", why, StatusCodes.Status409Conflict);
                }

                if (choice.Available.Count == 0)
                {
                    model = model with { Choice = choice, Intro = s["ChooseMentor.NoneLeft"] };
                    return Form(model, status == StatusCodes.Status200OK ? StatusCodes.Status200OK : StatusCodes.Status409Conflict);
                }

                var deadline = ParticipantWords.For(programme.Language).DateTime(choice.Choice.ChooseBy, TimeZoneInfo.FindSystemTimeZoneById(programme.TimeZone));
                model = model with { Choice = choice, Intro = s.Intro(link.Purpose) + " " + s.Format("ChooseMentor.Deadline", deadline) };
            }
            else if (link.Purpose is not (LinkPurpose.Poll or LinkPurpose.Apply))
            {
                var pair = await partnership.LoadAsync(link, ct);
                model = model with { Pair = pair };
                if (link.Purpose == LinkPurpose.Goal && pair.OpenGoal is null && pair.Pair.Status == PairStatus.Active)
                {
                    model = model with { Intro = s["Goal.IntroAfterMet"] };
                }
            }
        }
        catch (MentoringProblemException problem)
        {
            return Message(s, "Closed.Title", string.Join(" ", problem.Errors.SelectMany(e => e.Value)), problem.Status);
        }

        return Form(model, status);
    }

    private static ServerPage Form(FormModel model, int status) => ServerPage.Of<FormPage>(status, (nameof(FormPage.Model), model));

    private static ServerPage Message(FormStrings s, string titleKey, string body, int status) =>
        ServerPage.Of<MessagePage>(status, (nameof(MessagePage.Strings), s), (nameof(MessagePage.Title), s[titleKey]), (nameof(MessagePage.Body), body));

    /// <summary>The page a client gets when it sent too many form requests (the programme's language is not looked up for it).</summary>
    internal static IResult TooManyRequestsPage(HttpContext http, int retryAfterSeconds)
    {
        var en = http.RequestServices.GetRequiredService<FormStringsFactory>().For("en");
        return Message(en, "TooMany.Title", en.Format("TooMany.Body", retryAfterSeconds), StatusCodes.Status429TooManyRequests);
    }

    /// <summary>The page a participant gets when the server failed: what to do, and the trace id to quote; never the cause.</summary>
    internal static IResult ErrorPage(HttpContext http, int status, string traceId)
    {
        var en = http.RequestServices.GetRequiredService<FormStringsFactory>().For("en");
        return status == StatusCodes.Status409Conflict
            ? Message(en, "Conflict.Title", en["Conflict.Body"], status)
            : Message(en, "Error.Title", en.Format("Error.Body", traceId), status);
    }
}
