using MentorFlow.Mentoring.Domain;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Services;

/// <summary>Writes audit entries into the caller's unit of work (saved with the change they describe).</summary>
internal static class Audit
{
    public static void Add(DbContext db, DateTimeOffset at, string actor, string action, Guid? programmeId, string subject, string details = "") =>
        db.Add(new AuditEntry { ProgrammeId = programmeId, At = at, Actor = actor, Action = action, Subject = subject, Details = details });
}
