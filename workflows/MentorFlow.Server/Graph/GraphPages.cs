using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Security;

namespace MentorFlow.Server.Graph;

/// <summary>
/// <c>/graph/sandbox[?mailbox=address]</c>: the manager shell's "Mailbox" page, which signs the browser in to the
/// Graph sandbox and opens its mailbox view.
/// </summary>
public static class GraphPages
{
    public static IEndpointRouteBuilder MapGraphPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/graph/sandbox", (HttpContext http, IServiceProvider services) =>
            {
                // The page's one inline module (by hash) and its sign-in form posting to the sandbox's own origin.
                var origin = services.GetService<GraphSandboxHost>()?.PublicOrigin?.GetLeftPart(UriPartial.Authority);
                http.Response.Headers.ContentSecurityPolicy = WebProtection.DefaultPolicy
                    .Replace("script-src 'self'", $"script-src 'self' '{MailboxScriptHash}'", StringComparison.Ordinal)
                    .Replace("form-action 'self'", origin is null ? "form-action 'self'" : $"form-action 'self' {origin}", StringComparison.Ordinal);
                return Results.Content(MailboxPage, "text/html; charset=utf-8");
            })
            .WithTags("Graph")
            .ExcludeFromDescription()
            .AllowAnonymous(); // a plain link in the manager pages (no key on navigation); it only reveals the sandbox's address
        return app;
    }

    private static readonly string MailboxScriptHash = "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(MailboxPage[(MailboxPage.IndexOf("<script type=\"module\">", StringComparison.Ordinal) + "<script type=\"module\">".Length)..MailboxPage.IndexOf("</script>", StringComparison.Ordinal)])));

    /// <summary>
    /// A manager page: once signed in (the shell's key), it asks <c>POST /api/graph/sandbox/session</c> for a one-time
    /// ticket and posts it to the sandbox's own origin, which sets its session cookie and shows the mailbox
    /// (<c>?mailbox=address</c>) or the list of mailboxes.
    /// </summary>
    private const string MailboxPage = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
          <title>Mailbox (Graph sandbox) · MentorFlow</title>
          <link rel="stylesheet" href="/css/app.css">
          <script type="module">
            import { api, ready, h } from '/js/shell.js';
            await ready;
            const mailbox = new URLSearchParams(location.search).get('mailbox');
            const status = document.getElementById('sandbox-status');
            try {
              const session = await api('/api/graph/sandbox/session', { json: { mailbox } });
              const form = h('form', { method: 'post', action: session.url, id: 'sandbox-sign-in' },
                h('input', { type: 'hidden', name: 'ticket', value: session.ticket }));
              document.body.append(form);
              form.submit();
            } catch {
              status.textContent = 'The mailbox view could not be opened.';
            }
          </script>
        </head>
        <body data-page="mailbox">
          <main><h1>Mailbox (Graph sandbox)</h1><p id="sandbox-status" role="status">Opening the sandbox's mailbox view…</p></main>
        </body>
        </html>
        """;
}
