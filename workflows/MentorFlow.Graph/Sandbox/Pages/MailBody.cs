using AngleSharp.Html.Parser;

namespace MentorFlow.Graph.Sandbox.Pages;

/// <summary>
/// A mail's HTML as the mailbox view frames it. The body is hostile: it is served as its own document under a
/// Content-Security-Policy that forbids every script, plugin, form and base URL and sandboxes the document (an opaque
/// origin that may only open pop-ups), inside an <c>iframe sandbox="allow-popups allow-popups-to-escape-sandbox"</c>.
/// Scripts, frames, plugins, <c>base</c> and <c>meta http-equiv</c> elements and event-handler attributes are removed;
/// every link gets <c>target="_blank" rel="noopener noreferrer"</c> so it opens in a new tab of its own (where a form
/// link works with its scripts), never inside the mail frame; links other than http(s) and mailto lose their address.
/// </summary>
public static class MailBody
{
    /// <summary>The policy the body document is served with.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: https:; font-src data:; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

    /// <summary>The iframe's sandbox attribute: no scripts, no same origin, no forms; links may open new tabs.</summary>
    public const string FrameSandbox = "allow-popups allow-popups-to-escape-sandbox";

    public static string Document(string contentType, string body)
    {
        if (!string.Equals(contentType, "html", StringComparison.OrdinalIgnoreCase))
        {
            return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><pre>"
                + System.Net.WebUtility.HtmlEncode(body) + "</pre></body></html>";
        }

        var document = new HtmlParser().ParseDocument(body);
        foreach (var element in document.QuerySelectorAll("script, noscript, iframe, frame, frameset, object, embed, applet, base, meta, link, form").ToList())
        {
            element.Remove();
        }

        foreach (var element in document.All)
        {
            foreach (var name in element.Attributes.Select(a => a.Name).Where(IsHandlerOrAction).ToList())
            {
                element.RemoveAttribute(name);
            }
        }

        foreach (var link in document.QuerySelectorAll("a, area"))
        {
            var href = link.GetAttribute("href")?.Trim();
            if (href is not null && !IsSafeAddress(href))
            {
                link.RemoveAttribute("href");
            }

            link.SetAttribute("target", "_blank");
            link.SetAttribute("rel", "noopener noreferrer");
        }

        var head = document.Head!;
        var charset = document.CreateElement("meta");
        charset.SetAttribute("charset", "utf-8");
        head.Prepend(charset);
        return "<!DOCTYPE html>" + document.DocumentElement.OuterHtml;
    }

    private static bool IsHandlerOrAction(string name) =>
        name.StartsWith("on", StringComparison.OrdinalIgnoreCase)
        || name is "formaction" or "action" or "srcdoc" or "ping" or "target";

    private static bool IsSafeAddress(string href) =>
        href.StartsWith('#')
        || (Uri.TryCreate(href, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto");
}
