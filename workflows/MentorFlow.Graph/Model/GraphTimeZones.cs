namespace MentorFlow.Graph.Model;

/// <summary>
/// Our data holds IANA time-zone ids; Graph reliably accepts Windows ids (it accepts only a subset of IANA names), so
/// requests carry the Windows id and responses are mapped back.
/// </summary>
public static class GraphTimeZones
{
    /// <summary>The Windows id Graph accepts for an IANA id (a Windows id is passed through); false when unknown.</summary>
    public static bool TryToGraph(string? timeZone, out string windowsId)
    {
        windowsId = string.Empty;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return false;
        }

        var id = timeZone.Trim();
        if (TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out var converted))
        {
            windowsId = converted;
            return true;
        }

        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out _))
        {
            windowsId = id;
            return true;
        }

        return false;
    }

    /// <summary>The Windows id for an IANA id; throws naming the id when it is unknown.</summary>
    public static string ToGraph(string timeZone) =>
        TryToGraph(timeZone, out var windowsId)
            ? windowsId
            : throw new ArgumentException($"'{timeZone}' is not a known IANA time zone.", nameof(timeZone));

    /// <summary>The IANA id for what Graph returns (a Windows id, or one of the IANA names it accepts).</summary>
    public static bool TryFromGraph(string? timeZone, out string ianaId)
    {
        ianaId = string.Empty;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return false;
        }

        var id = timeZone.Trim();
        if (TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var converted))
        {
            ianaId = converted;
            return true;
        }

        if (TimeZoneInfo.TryConvertIanaIdToWindowsId(id, out _))
        {
            ianaId = id;
            return true;
        }

        return false;
    }

    public static string FromGraph(string timeZone) =>
        TryFromGraph(timeZone, out var ianaId)
            ? ianaId
            : throw new ArgumentException($"'{timeZone}' is not a time zone Graph returns.", nameof(timeZone));

    /// <summary>Resolves a Windows or IANA id to the zone (both work on every platform .NET runs on with ICU).</summary>
    public static bool TryFind(string? timeZone, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The UTC instant of a wall-clock time in a zone (the zone must be known).</summary>
    public static DateTimeOffset ToUtc(DateTime wallClock, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }
}
