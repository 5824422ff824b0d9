using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Services;
using MentorFlow.Server.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Server.Mentoring;

/// <summary>
/// Participant forms on signed, expiring, single-purpose links (<c>/forms/{token}</c>): server-rendered, accessible
/// (labels, fieldsets, an error summary linked to the fields, keyboard only, 4.5:1 contrast), mobile-friendly, in the
/// programme's language. A valid submission resumes the waiting flow; a used, expired or tampered link gets a
/// friendly page.
/// </summary>
public static class ParticipantForms
{
    public static IEndpointRouteBuilder MapParticipantForms(this IEndpointRouteBuilder app)
    {
        app.MapGet("/forms/{token}", ShowAsync).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(WebProtection.FormsRateLimit);
        app.MapPost("/forms/{token}", SubmitAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery()
            .RequireRateLimiting(WebProtection.FormsRateLimit);
        return app;
    }

    private static async Task<IResult> ShowAsync(string token, HttpContext http, ParticipantLinks links, ProgrammeService programmes,
        ParticipationService participation, PartnershipService partnership, MentorChoiceService choices, CancellationToken ct)
    {
        var (claims, refusal) = await CheckAsync(token, links, programmes, participation, ct);
        if (refusal is not null)
        {
            return refusal;
        }

        return claims!.Purpose == LinkPurpose.ChooseMentor
            ? await RenderChoiceAsync(claims, new FormState(), programmes, choices, StatusCodes.Status200OK, ct)
            : await RenderFormAsync(claims, new FormState(), programmes, partnership, StatusCodes.Status200OK, ct);
    }

    private static async Task<IResult> SubmitAsync(string token, HttpContext http, ParticipantLinks links, ProgrammeService programmes,
        ParticipationService participation, PartnershipService partnership, MentorChoiceService choices, CancellationToken ct)
    {
        var (claims, refusal) = await CheckAsync(token, links, programmes, participation, ct);
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
        var strings = FormStrings.For((await programmes.GetAsync(link.ProgrammeId, ct)).Language);
        try
        {
            // The answer, the spent link and the flows' starts and signals commit together (the services enlist them).
            string? chosenMentor = null;
            if (link.Purpose == LinkPurpose.ChooseMentor)
            {
                chosenMentor = await ChooseAsync(link, state, choices, ct);
            }
            else
            {
                await SubmitToDomainAsync(link, state, participation, partnership, ct);
            }

            var thanks = chosenMentor is null ? strings["Thanks.Body"] : string.Format(CultureInfo.InvariantCulture, strings["ChooseMentor.Thanks"], chosenMentor);
            return Page(strings, strings["Thanks.Title"], $"<p>{Encode(thanks)}</p>", StatusCodes.Status200OK);
        }
        catch (MentoringProblemException problem) when (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Nothing was saved (e.g. a flow it starts is not published right now): the link still works.
            return Page(strings, strings["Unavailable.Title"], $"<p>{Encode(strings["Unavailable.Body"])}</p>", StatusCodes.Status503ServiceUnavailable);
        }
        catch (MentoringProblemException problem) when (link.Purpose == LinkPurpose.ChooseMentor && problem.Errors.ContainsKey("mentor"))
        {
            // A mentor who is now full (409) or no mentor picked (400): choose again among those who still have room.
            state.Errors["mentor"] = problem.Status == StatusCodes.Status409Conflict ? strings["ChooseMentor.Full"] : string.Join(" ", problem.Errors["mentor"]);
            return await RenderChoiceAsync(link, state, programmes, choices, problem.Status, ct);
        }
        catch (MentoringProblemException problem) when (problem.Status == StatusCodes.Status400BadRequest && !problem.Errors.ContainsKey("link"))
        {
            foreach (var (field, messages) in problem.Errors)
            {
                state.Errors[field] = string.Join(" ", messages);
            }

            return await RenderFormAsync(link, state, programmes, partnership, StatusCodes.Status400BadRequest, ct);
        }
        catch (MentoringProblemException problem) when (problem.Errors.ContainsKey("link") && problem.Status == StatusCodes.Status409Conflict)
        {
            return Page(strings, strings["Used.Title"], $"<p>{Encode(strings["Used.Body"])}</p>", StatusCodes.Status410Gone);
        }
        catch (MentoringProblemException problem) when (link.Purpose == LinkPurpose.Apply && problem.Errors.ContainsKey("email") && problem.Status == StatusCodes.Status409Conflict)
        {
            // Another application with this email (another link, or the same form sent twice at once) got in first.
            return Page(strings, strings["AlreadyApplied.Title"], $"<p>{Encode(strings["AlreadyApplied.Body"])}</p>", StatusCodes.Status409Conflict);
        }
        catch (MentoringProblemException problem) when (problem.Errors.ContainsKey("request") && problem.Status == StatusCodes.Status409Conflict)
        {
            return Page(strings, strings["Conflict.Title"], $"<p>{Encode(strings["Conflict.Body"])}</p>", StatusCodes.Status409Conflict);
        }
        catch (DbUpdateException)
        {
            // A write that collided with another one at the same moment: say what to do, never what the database said.
            return Page(strings, strings["Conflict.Title"], $"<p>{Encode(strings["Conflict.Body"])}</p>", StatusCodes.Status409Conflict);
        }
        catch (MentoringProblemException problem)
        {
            var message = string.Join(" ", problem.Errors.SelectMany(e => e.Value));
            return Page(strings, strings["Closed.Title"], $"<p>{Encode(message)}</p>", problem.Status);
        }
    }

    private static async Task<(LinkClaims? Claims, IResult? Refusal)> CheckAsync(
        string token, ParticipantLinks links, ProgrammeService programmes, ParticipationService participation, CancellationToken ct)
    {
        var check = links.Verify(token);
        if (check.State is LinkState.Malformed or LinkState.Tampered)
        {
            var en = FormStrings.For("en");
            return (null, Page(en, en["Invalid.Title"], $"<p>{Encode(en["Invalid.Body"])}</p>", StatusCodes.Status400BadRequest));
        }

        Programme programme;
        try
        {
            programme = await programmes.GetAsync(check.Claims!.ProgrammeId, ct);
        }
        catch (MentoringProblemException)
        {
            var en = FormStrings.For("en");
            return (null, Page(en, en["Invalid.Title"], $"<p>{Encode(en["Invalid.Body"])}</p>", StatusCodes.Status404NotFound));
        }

        var strings = FormStrings.For(programme.Language);
        if (check.State == LinkState.Expired)
        {
            return (null, Page(strings, strings["Expired.Title"], $"<p>{Encode(strings["Expired.Body"])}</p>", StatusCodes.Status410Gone));
        }

        if (await participation.IsUsedAsync(check.Claims, ct))
        {
            return (null, Page(strings, strings["Used.Title"], $"<p>{Encode(strings["Used.Body"])}</p>", StatusCodes.Status410Gone));
        }

        return (check.Claims, null);
    }

    private static async Task SubmitToDomainAsync(
        LinkClaims link, FormState form, ParticipationService participation, PartnershipService partnership, CancellationToken ct)
    {
        switch (link.Purpose)
        {
            case LinkPurpose.Poll:
                {
                    await participation.SubmitPollAsync(link, new PollInput(form["name"], form["choice"], Vocabulary.Tags(form["topics"], acceptCommas: true)), ct);
                    return;
                }

            case LinkPurpose.Apply:
                {
                    var errors = new FieldErrors();
                    var input = new ApplicationInput
                    {
                        Role = form["role"],
                        Name = form["name"],
                        TimeZone = form["time_zone"],
                        Interests = Vocabulary.Tags(form["interests"], acceptCommas: true),
                        CareerPath = form["career_path"],
                        Goals = Vocabulary.Tags(form["goals"], acceptCommas: true),
                        Expertise = Vocabulary.Tags(form["expertise"], acceptCommas: true),
                        SeniorityYears = form.Integer("seniority_years", errors),
                        HoursPerMonth = form.Decimal("hours_per_month", errors),
                        PreferredLength = form["preferred_length"],
                        Communication = form.All("communication"),
                        Languages = Vocabulary.Tags(form["languages"], acceptCommas: true),
                        Capacity = string.Equals(form["role"], "mentor", StringComparison.OrdinalIgnoreCase) ? form.Integer("capacity", errors) : null,
                        Statement = form["statement"],
                    };
                    if (errors.Any)
                    {
                        // Report the unreadable numbers together with every other field's problem.
                        var programme = await participation.ProgrammeAsync(link.ProgrammeId, ct);
                        ApplicationValidator.Validate(input with { Email = link.Participant }, programme, errors, () => "p");
                        errors.ThrowIfAny();
                    }

                    await participation.ApplyAsync(link, input, ct);
                    return;
                }

            case LinkPurpose.ConfirmMatch:
                {
                    bool? accept = form["accept"] switch { "yes" => true, "no" => false, _ => null };
                    await partnership.ConfirmAsync(link, new ConfirmInput(accept), ct);
                    return;
                }

            case LinkPurpose.Policy:
                {
                    await partnership.SetPolicyAsync(link, new PolicyInput(form["meetingFrequency"], form["communication"], form["length"]), ct);
                    return;
                }

            case LinkPurpose.Goal:
                {
                    var errors = new FieldErrors();
                    var target = form.Date("targetDate", errors);
                    if (form["decision"] != "close")
                    {
                        errors.ThrowIfAny();
                    }

                    await partnership.SetGoalAsync(link, new GoalInput(form["text"], target, form["decision"]), ct);
                    return;
                }

            case LinkPurpose.GoalMet:
                await partnership.MarkGoalMetAsync(link, ct);
                return;

            case LinkPurpose.KickOffScheduled:
                await partnership.MarkKickOffScheduledAsync(link, ct);
                return;

            case LinkPurpose.Testimonial:
                {
                    await partnership.GiveTestimonialAsync(link, new TestimonialInput(form["text"], form.YesNo("consent")), ct);
                    return;
                }

            default:
                {
                    var errors = new FieldErrors();
                    var rating = form.Integer("rating", errors);
                    errors.ThrowIfAny();
                    await partnership.AnswerSurveyAsync(link, new SurveyInput(rating, form.YesNo("met"), form["comment"]), ct);
                    return;
                }
        }
    }

    private static async Task<string> ChooseAsync(LinkClaims link, FormState form, MentorChoiceService choices, CancellationToken ct)
    {
        var context = await choices.LoadAsync(link, ct);
        var pair = await choices.ChooseAsync(link, form["mentor"], ct);
        return context.Available.FirstOrDefault(c => c.MentorId == pair.MentorId)?.Name ?? "";
    }

    /// <summary>The mentee's choice among their top mentors: each candidate with the match score and the reasons, as radios.</summary>
    private static async Task<IResult> RenderChoiceAsync(
        LinkClaims link, FormState state, ProgrammeService programmes, MentorChoiceService choices, int status, CancellationToken ct)
    {
        var programme = await programmes.GetAsync(link.ProgrammeId, ct);
        var s = FormStrings.For(programme.Language);
        ChoiceContext context;
        try
        {
            context = await choices.LoadAsync(link, ct);
        }
        catch (MentoringProblemException problem)
        {
            return Page(s, s["Closed.Title"], $"<p>{Encode(string.Join(" ", problem.Errors.SelectMany(e => e.Value)))}</p>", problem.Status);
        }

        if (context.Choice.Status != MentorChoiceStatus.Open)
        {
            return Page(s, s["Closed.Title"], $"<p>{Encode(s[context.Choice.Status == MentorChoiceStatus.Chosen ? "ChooseMentor.AlreadyChosen" : "ChooseMentor.Over"])}</p>",
                StatusCodes.Status409Conflict);
        }

        var body = new StringBuilder();
        if (context.Available.Count == 0)
        {
            body.Append("<p class=\"intro\">").Append(Encode(s["ChooseMentor.NoneLeft"])).Append("</p>");
            return Page(s, $"{s.Title(link.Purpose)} · {programme.Name}", body.ToString(), status == StatusCodes.Status200OK ? StatusCodes.Status200OK : StatusCodes.Status409Conflict,
                heading: s.Title(link.Purpose), subtitle: programme.Name);
        }

        var deadline = TimeZoneInfo.ConvertTime(context.Choice.ChooseBy, TimeZoneInfo.FindSystemTimeZoneById(programme.TimeZone));
        body.Append("<p class=\"intro\">").Append(Encode(s.Intro(link.Purpose))).Append(' ')
            .Append(Encode(string.Format(CultureInfo.InvariantCulture, s["ChooseMentor.Deadline"], deadline.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))))
            .Append("</p>");
        if (state.Errors.TryGetValue("mentor", out var error))
        {
            body.Append("<div class=\"errors\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\"><h2>").Append(Encode(s["ErrorSummary"])).Append("</h2><ul><li><a href=\"#f-mentor\">")
                .Append(Encode(Label(s, "mentor"))).Append(": ").Append(Encode(error)).Append("</a></li></ul></div>");
        }

        body.Append("<form method=\"post\" novalidate><fieldset class=\"field\"")
            .Append(error is null ? "" : " aria-describedby=\"e-mentor\"").Append("><legend>").Append(Encode(Label(s, "mentor")))
            .Append(" <span class=\"req\" aria-hidden=\"true\">*</span></legend>");
        for (var i = 0; i < context.Available.Count; i++)
        {
            var candidate = context.Available[i];
            var id = i == 0 ? "f-mentor" : $"f-mentor-{i}";
            var value = candidate.MentorId.ToString("N");
            body.Append("<div class=\"candidate\"><label class=\"option\" for=\"").Append(id).Append("\"><input type=\"radio\" id=\"").Append(id)
                .Append("\" name=\"mentor\" value=\"").Append(value).Append("\" aria-describedby=\"").Append(id).Append("-why\"")
                .Append(state["mentor"] == value ? " checked" : "").Append(error is null ? "" : " aria-invalid=\"true\"").Append("><strong>")
                .Append(Encode(candidate.Name)).Append("</strong></label><dl id=\"").Append(id).Append("-why\"><dt>").Append(Encode(s["ChooseMentor.Score"]))
                .Append("</dt><dd>").Append(Encode(Math.Round(candidate.Score * 100).ToString(CultureInfo.InvariantCulture))).Append("%</dd><dt>")
                .Append(Encode(s["Field.career_path"])).Append("</dt><dd>").Append(Encode(candidate.CareerPath)).Append("</dd>");
            if (candidate.Expertise.Count > 0)
            {
                body.Append("<dt>").Append(Encode(s["Field.expertise"])).Append("</dt><dd>").Append(Encode(string.Join(", ", candidate.Expertise))).Append("</dd>");
            }

            body.Append("<dt>").Append(Encode(s["Reasons"])).Append("</dt><dd class=\"reasons\">").Append(Encode(candidate.Reasons)).Append("</dd></dl></div>");
        }

        if (error is not null)
        {
            body.Append("<p class=\"error\" id=\"e-mentor\">").Append(Encode(error)).Append("</p>");
        }

        body.Append("</fieldset><div class=\"buttons\"><button type=\"submit\">").Append(Encode(s["ChooseMentor.Submit"])).Append("</button></div></form>");
        return Page(s, $"{s.Title(link.Purpose)} · {programme.Name}", body.ToString(), status, heading: s.Title(link.Purpose), subtitle: programme.Name);
    }

    private static async Task<IResult> RenderFormAsync(
        LinkClaims link, FormState state, ProgrammeService programmes, PartnershipService partnership, int status, CancellationToken ct)
    {
        var programme = await programmes.GetAsync(link.ProgrammeId, ct);
        var s = FormStrings.For(programme.Language);
        var body = new StringBuilder();
        var intro = s.Intro(link.Purpose);
        PairContext? pair = null;
        if (link.Purpose is not (LinkPurpose.Poll or LinkPurpose.Apply))
        {
            try
            {
                pair = await partnership.LoadAsync(link, ct);
            }
            catch (MentoringProblemException problem)
            {
                return Page(s, s["Closed.Title"], $"<p>{Encode(string.Join(" ", problem.Errors.SelectMany(e => e.Value)))}</p>", problem.Status);
            }

            if (link.Purpose == LinkPurpose.Goal && pair.OpenGoal is null && pair.Pair.Status == PairStatus.Active)
            {
                intro = s["Goal.IntroAfterMet"];
            }
        }

        body.Append("<p class=\"intro\">").Append(Encode(intro)).Append("</p>");
        if (state.Errors.Count > 0)
        {
            body.Append("<div class=\"errors\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\"><h2>").Append(Encode(s["ErrorSummary"])).Append("</h2><ul>");
            foreach (var (field, message) in state.Errors)
            {
                body.Append("<li><a href=\"#f-").Append(Encode(field)).Append("\">").Append(Encode(Label(s, link.Purpose == LinkPurpose.Testimonial && field == "text" ? "testimonial" : field))).Append(": ")
                    .Append(Encode(message)).Append("</a></li>");
            }

            body.Append("</ul></div>");
        }

        body.Append("<form method=\"post\" novalidate>");
        var f = new FieldWriter(body, s, state);
        switch (link.Purpose)
        {
            case LinkPurpose.Poll:
                f.Text("name", required: false, autocomplete: "name");
                f.Radios("choice", [("Mentor", s["Choice.Mentor"]), ("Mentee", s["Choice.Mentee"]), ("Both", s["Choice.Both"])], required: true);
                f.Text("topics", required: false);
                f.Submit(s["Submit"]);
                break;
            case LinkPurpose.Apply:
                f.ReadOnly("email", link.Participant);
                f.Radios("role", [("mentor", s["Role.mentor"]), ("mentee", s["Role.mentee"])], required: true);
                f.Text("name", required: true, autocomplete: "name");
                f.Text("time_zone", required: true, placeholder: programme.TimeZone);
                f.Text("interests", required: true);
                f.Text("career_path", required: true);
                f.Text("goals", required: true);
                f.Text("expertise", required: false);
                f.Number("seniority_years", required: true, min: 0, max: 70);
                f.Number("hours_per_month", required: false, min: 1, max: 200);
                f.Radios("preferred_length", programme.LengthOptions.Select(o => (o.Format(), $"{o.Format()} {s["Months"]}")).ToList(), required: true);
                f.Checkboxes("communication", Vocabulary.CommunicationMethods.Select(m => (m, m)).ToList());
                f.Text("languages", required: false);
                f.Number("capacity", required: false, min: 1, max: 20);
                f.TextArea("statement", required: false);
                f.Submit(s["Submit"]);
                break;
            case LinkPurpose.ConfirmMatch:
                body.Append("<dl><dt>").Append(Encode(s["Partner"])).Append("</dt><dd>").Append(Encode(pair!.Other.Name)).Append("</dd>");
                if (pair.Pair.Reasons.Length > 0)
                {
                    body.Append("<dt>").Append(Encode(s["Reasons"])).Append("</dt><dd>").Append(Encode(pair.Pair.Reasons)).Append("</dd>");
                }

                body.Append("</dl><div class=\"buttons\"><button type=\"submit\" name=\"accept\" value=\"yes\">").Append(Encode(s["Accept"]))
                    .Append("</button><button type=\"submit\" name=\"accept\" value=\"no\" class=\"secondary\">").Append(Encode(s["Decline"]))
                    .Append("</button></div>");
                break;
            case LinkPurpose.Policy:
                f.Radios("meetingFrequency", new[] { "weekly", "every-2-weeks", "monthly" }.Select(v => (v, s["Frequency." + v])).ToList(), required: true,
                    selected: pair!.Pair.MeetingFrequency?.Format());
                f.Radios("communication", Vocabulary.CommunicationMethods.Select(m => (m, m)).ToList(), required: true, selected: pair.Pair.Communication);
                f.Radios("length", programme.LengthOptions.Select(o => (o.Format(), $"{o.Format()} {s["Months"]}")).ToList(), required: true,
                    selected: pair.Pair.Length?.Format());
                f.Submit(s["Submit"]);
                break;
            case LinkPurpose.Goal:
                if (pair!.OpenGoal is null)
                {
                    f.Radios("decision", [("continue", s["Decision.continue"]), ("close", s["Decision.close"])], required: false, selected: "continue");
                }

                f.TextArea("text", required: true);
                f.Date("targetDate", required: true);
                f.Submit(s["Submit"]);
                break;
            case LinkPurpose.GoalMet or LinkPurpose.KickOffScheduled:
                f.Submit(s["Confirm"]);
                break;
            case LinkPurpose.Testimonial:
                f.TextArea("text", required: true, labelKey: "testimonial");
                f.Radios("consent", [("yes", s["Yes"]), ("no", s["No"])], required: true);
                f.Submit(s["Submit"]);
                break;
            default:
                f.Radios("rating", Enumerable.Range(1, 5).Select(i => (i.ToString(CultureInfo.InvariantCulture), i.ToString(CultureInfo.InvariantCulture))).ToList(), required: true);
                if (link.Purpose == LinkPurpose.CheckInSurvey)
                {
                    f.Radios("met", [("yes", s["Yes"]), ("no", s["No"])], required: true);
                }

                f.TextArea("comment", required: false);
                f.Submit(s["Submit"]);
                break;
        }

        body.Append("</form>");
        return Page(s, $"{s.Title(link.Purpose)} · {programme.Name}", body.ToString(), status, heading: s.Title(link.Purpose), subtitle: programme.Name);
    }

    internal static string Label(FormStrings s, string field) => s["Field." + field];

    internal static string Encode(string? text) => Encoder.Encode(text ?? "");

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private static ContentHttpResult Page(FormStrings s, string title, string content, int status, string? heading = null, string? subtitle = null)
    {
        var html = new StringBuilder()
            .Append("<!doctype html><html lang=\"").Append(s.Language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
            .Append("<title>").Append(Encode(title)).Append("</title><style>").Append(Css).Append("</style></head><body><main id=\"main\">")
            .Append(subtitle is null ? "" : $"<p class=\"programme\">{Encode(subtitle)}</p>")
            .Append("<h1>").Append(Encode(heading ?? title)).Append("</h1>")
            .Append(content)
            .Append("</main>")
            .Append("<script>").Append(Script).Append("</script>")
            .Append("</body></html>")
            .ToString();
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The forms' one inline script: focus the error summary so screen readers announce it.</summary>
    private const string Script = "var e=document.getElementById('error-summary');if(e){e.focus();}";

    /// <summary>
    /// The forms' Content-Security-Policy: nothing but their own inline style and script (by hash), posting back to
    /// this server, no framing.
    /// </summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'; img-src 'self'; "
        + $"style-src '{Sha256(Css)}'; script-src '{Sha256(Script)}'";

    /// <summary>The page a client gets when it sent too many form requests (the programme's language is not looked up for it).</summary>
    internal static ContentHttpResult TooManyRequestsPage(int retryAfterSeconds) =>
        Page(FormStrings.For("en"), "Too many requests",
            $"<p>{Encode($"We received too many requests from your network in a short time. Wait {retryAfterSeconds} seconds, then open the link from your email again.")}</p>",
            StatusCodes.Status429TooManyRequests);

    /// <summary>The page a participant gets when the server failed: what to do, and the trace id to quote; never the cause.</summary>
    internal static ContentHttpResult ErrorPage(int status, string traceId) =>
        Page(FormStrings.For("en"), status == StatusCodes.Status409Conflict ? "Your answer crossed another one" : "Something went wrong on our side",
            $"<p>{Encode(status == StatusCodes.Status409Conflict
                ? "Your answer arrived at the same moment as another change, so it was not saved. Open the link from your email again and send the form again if it is still open."
                : "Your answer may not have been saved. Try again in a few minutes by opening the link from your email again. If it keeps happening, tell the programme organizer and quote this reference: " + traceId)}</p>",
            status);

    private static string Sha256(string text) =>
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private const string Css =
        "*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1b1b;background:#f6f7f9}"
        + "main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem;background:#fff;min-height:100vh}"
        + "h1{font-size:1.6rem;margin:.25rem 0 1rem}.programme{margin:0;color:#44505c;font-weight:600}.intro{margin:0 0 1.5rem}"
        + ".field{margin:0 0 1.25rem;border:0;padding:0}label,legend{display:block;font-weight:600;margin-bottom:.35rem}"
        + "input[type=text],input[type=number],input[type=date],textarea{width:100%;padding:.6rem .7rem;font:inherit;border:2px solid #5a6670;border-radius:6px;background:#fff;color:#1b1b1b}"
        + "textarea{min-height:7rem}.option{display:flex;align-items:center;gap:.5rem;padding:.35rem 0;font-weight:400}.option input{width:1.25rem;height:1.25rem;margin:0}"
        + ":focus-visible{outline:3px solid #0b5cad;outline-offset:2px}[aria-invalid=true]{border-color:#b00020!important}"
        + ".error{color:#b00020;font-weight:600;margin:.25rem 0 0}.errors{border:3px solid #b00020;padding:.75rem 1rem;margin:0 0 1.5rem;border-radius:6px}"
        + ".errors h2{font-size:1.1rem;margin:0 0 .5rem}.errors a{color:#b00020}.req{color:#b00020}"
        + "button{font:inherit;font-weight:600;padding:.7rem 1.4rem;min-height:44px;border-radius:6px;border:2px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}"
        + "button.secondary{background:#fff;color:#0b5cad}.buttons{display:flex;flex-wrap:wrap;gap:.75rem}dt{font-weight:600}dd{margin:0 0 1rem}"
        + ".readonly{padding:.4rem 0;color:#1b1b1b}.candidate{border:2px solid #5a6670;border-radius:6px;padding:.5rem .9rem;margin:0 0 .9rem}"
        + ".candidate dl{margin:.25rem 0 0 1.75rem}.candidate dd{margin:0 0 .4rem}.sr{position:absolute;left:-9999px}@media (prefers-reduced-motion:reduce){*{transition:none!important}}";

    /// <summary>Writes labelled, accessible fields, re-filled with the submitted values and marked with their errors.</summary>
    private sealed class FieldWriter(StringBuilder html, FormStrings s, FormState state)
    {
        public void ReadOnly(string name, string value) =>
            html.Append("<div class=\"field\"><span class=\"label\" id=\"f-").Append(name).Append("\"><strong>").Append(Encode(Label(s, name)))
                .Append("</strong></span><div class=\"readonly\">").Append(Encode(value)).Append("</div></div>");

        public void Text(string name, bool required, string? autocomplete = null, string? placeholder = null) =>
            Input(name, "text", required, autocomplete is null ? "" : $" autocomplete=\"{autocomplete}\"", placeholder);

        public void Number(string name, bool required, int min, int max) =>
            Input(name, "number", required, $" inputmode=\"numeric\" min=\"{min}\" max=\"{max}\"", null);

        public void Date(string name, bool required) => Input(name, "date", required, "", null);

        public void TextArea(string name, bool required, string? labelKey = null)
        {
            Open(name, labelKey ?? name, required, fieldset: false);
            html.Append("<textarea id=\"f-").Append(name).Append("\" name=\"").Append(name).Append('"').Append(Aria(name, required)).Append('>')
                .Append(Encode(state[name])).Append("</textarea>");
            Close(name, fieldset: false);
        }

        public void Radios(string name, IReadOnlyList<(string Value, string Text)> options, bool required, string? selected = null) =>
            Choices(name, "radio", options, required, value => (state[name] ?? selected) == value);

        public void Checkboxes(string name, IReadOnlyList<(string Value, string Text)> options) =>
            Choices(name, "checkbox", options, required: false, value => state.All(name).Contains(value));

        public void Submit(string text) => html.Append("<div class=\"buttons\"><button type=\"submit\">").Append(Encode(text)).Append("</button></div>");

        private void Choices(string name, string type, IReadOnlyList<(string Value, string Text)> options, bool required, Func<string, bool> isChecked)
        {
            Open(name, name, required, fieldset: true);
            for (var i = 0; i < options.Count; i++)
            {
                var id = i == 0 ? $"f-{name}" : $"f-{name}-{i}";
                html.Append("<label class=\"option\" for=\"").Append(Encode(id)).Append("\"><input type=\"").Append(type).Append("\" id=\"").Append(Encode(id))
                    .Append("\" name=\"").Append(name).Append("\" value=\"").Append(Encode(options[i].Value)).Append('"')
                    .Append(isChecked(options[i].Value) ? " checked" : "").Append(state.Errors.ContainsKey(name) ? " aria-invalid=\"true\"" : "")
                    .Append('>').Append(Encode(options[i].Text)).Append("</label>");
            }

            Close(name, fieldset: true);
        }

        private void Input(string name, string type, bool required, string extra, string? placeholder)
        {
            Open(name, name, required, fieldset: false);
            html.Append("<input type=\"").Append(type).Append("\" id=\"f-").Append(name).Append("\" name=\"").Append(name).Append("\" value=\"")
                .Append(Encode(state[name])).Append('"').Append(extra).Append(Aria(name, required))
                .Append(placeholder is null ? "" : $" placeholder=\"{Encode(placeholder)}\"").Append('>');
            Close(name, fieldset: false);
        }

        private string Aria(string name, bool required) =>
            (required ? " aria-required=\"true\"" : "")
            + (state.Errors.ContainsKey(name) ? $" aria-invalid=\"true\" aria-describedby=\"e-{name}\"" : "");

        private void Open(string name, string labelKey, bool required, bool fieldset)
        {
            var star = required ? $" <span class=\"req\" aria-hidden=\"true\">*</span><span class=\"sr\">({Encode(s["Required"])})</span>" : "";
            html.Append(fieldset ? "<fieldset class=\"field\"" : "<div class=\"field\"")
                .Append(fieldset && state.Errors.ContainsKey(name) ? $" aria-describedby=\"e-{name}\"" : "").Append('>');
            html.Append(fieldset ? "<legend>" : $"<label for=\"f-{name}\">").Append(Encode(Label(s, labelKey))).Append(star)
                .Append(fieldset ? "</legend>" : "</label>");
        }

        private void Close(string name, bool fieldset)
        {
            if (state.Errors.TryGetValue(name, out var message))
            {
                html.Append("<p class=\"error\" id=\"e-").Append(name).Append("\">").Append(Encode(message)).Append("</p>");
            }

            html.Append(fieldset ? "</fieldset>" : "</div>");
        }
    }

    /// <summary>Submitted values (to re-fill the form) and field errors.</summary>
    private sealed class FormState(IFormCollection? form = null)
    {
        public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

        public string? this[string name] => form is not null && form.TryGetValue(name, out var value) ? value.ToString().Trim() : null;

        public IReadOnlyList<string> All(string name) =>
            form is not null && form.TryGetValue(name, out var values) ? values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList() : [];

        public int? Integer(string name, FieldErrors errors)
        {
            var text = this[name];
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(name, $"'{text}' is not a whole number.");
            return null;
        }

        public decimal? Decimal(string name, FieldErrors errors)
        {
            var text = this[name];
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(name, $"'{text}' is not a number.");
            return null;
        }

        public DateOnly? Date(string name, FieldErrors errors)
        {
            var text = this[name];
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            {
                return value;
            }

            errors.Add(name, $"'{text}' is not a date (YYYY-MM-DD).");
            return null;
        }

        public bool? YesNo(string name) => this[name] switch { "yes" => true, "no" => false, _ => null };
    }
}
