using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace MentorFlow.Workflows.Persistence;

public static class WorkflowEngineModel
{
    /// <summary>Adds the engine's tables (<c>wf_*</c>) to a context's model.</summary>
    public static ModelBuilder AddWorkflowEngineModel(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WorkflowDefinitionRecord>(e =>
        {
            e.ToTable("wf_definitions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(x => x.DefinitionId).HasColumnName("definition_id").HasMaxLength(128);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(256);
            e.Property(x => x.Description).HasColumnName("description");
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.IsLatest).HasColumnName("is_latest");
            e.Property(x => x.IsPublished).HasColumnName("is_published");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.Json).HasColumnName("json");
            e.Property(x => x.ValidationErrors).HasColumnName("validation_errors");
            e.Property(x => x.HasHttpEndpoint).HasColumnName("has_http_endpoint");
            e.HasIndex(x => new { x.DefinitionId, x.Version }).IsUnique().HasDatabaseName("ix_wf_definitions_definition_version");
            e.HasIndex(x => new { x.DefinitionId, x.IsLatest }).HasDatabaseName("ix_wf_definitions_latest");
            e.HasIndex(x => new { x.DefinitionId, x.IsPublished }).HasDatabaseName("ix_wf_definitions_published");
            e.HasIndex(x => x.Name).HasDatabaseName("ix_wf_definitions_name");

            // The flow HTTP router's lookup on every request: only published versions naming an HTTP Endpoint are in
            // it. The filter is written as both providers' queries put it (a bare boolean column each), so SQLite and
            // PostgreSQL both see that the query implies it.
            e.HasIndex(x => x.Id).HasFilter("is_published AND has_http_endpoint").HasDatabaseName("ix_wf_definitions_http_endpoints");
        });

        modelBuilder.Entity<WorkflowInstanceRecord>(e =>
        {
            e.ToTable("wf_instances");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(x => x.DefinitionId).HasColumnName("definition_id").HasMaxLength(128);
            e.Property(x => x.DefinitionVersionId).HasColumnName("definition_version_id").HasMaxLength(64);
            e.Property(x => x.Version).HasColumnName("version");
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(256);
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id").HasMaxLength(256);
            e.Property(x => x.Status).HasColumnName("status").HasMaxLength(32);
            e.Property(x => x.SubStatus).HasColumnName("sub_status").HasMaxLength(32);
            e.Property(x => x.IncidentCount).HasColumnName("incident_count");
            e.Property(x => x.HasPendingWork).HasColumnName("has_pending_work");
            e.Property(x => x.LeaseOwner).HasColumnName("lease_owner").HasMaxLength(128);
            e.Property(x => x.LeaseExpiresAt).HasColumnName("lease_expires_at");
            e.Property(x => x.BurstAttempts).HasColumnName("burst_attempts");
            e.Property(x => x.State).HasColumnName("state");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.FinishedAt).HasColumnName("finished_at");
            e.HasIndex(x => new { x.DefinitionId, x.CreatedAt }).HasDatabaseName("ix_wf_instances_definition");
            e.HasIndex(x => x.CorrelationId).HasDatabaseName("ix_wf_instances_correlation");
            e.HasIndex(x => new { x.Status, x.SubStatus }).HasDatabaseName("ix_wf_instances_status");
            e.HasIndex(x => new { x.HasPendingWork, x.LeaseExpiresAt }).HasDatabaseName("ix_wf_instances_pending");
            e.HasIndex(x => x.CreatedAt).HasDatabaseName("ix_wf_instances_created");
        });

        modelBuilder.Entity<WorkflowBookmarkRecord>(e =>
        {
            e.ToTable("wf_bookmarks");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(x => x.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(x => x.ActivityId).HasColumnName("activity_id").HasMaxLength(128);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(256);
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id").HasMaxLength(256);
            e.Property(x => x.DueAt).HasColumnName("due_at");
            e.Property(x => x.Payload).HasColumnName("payload");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => new { x.Name, x.CorrelationId }).HasDatabaseName("ix_wf_bookmarks_name");
            e.HasIndex(x => x.InstanceId).HasDatabaseName("ix_wf_bookmarks_instance");
            e.HasIndex(x => x.DueAt).HasDatabaseName("ix_wf_bookmarks_due");
        });

        modelBuilder.Entity<WorkflowInboxRecord>(e =>
        {
            e.ToTable("wf_inbox");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(x => x.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(x => x.Kind).HasColumnName("kind").HasMaxLength(16);
            e.Property(x => x.BookmarkId).HasColumnName("bookmark_id").HasMaxLength(64);
            e.Property(x => x.Name).HasColumnName("name").HasMaxLength(256);
            e.Property(x => x.CorrelationId).HasColumnName("correlation_id").HasMaxLength(256);
            e.Property(x => x.Payload).HasColumnName("payload");
            e.Property(x => x.Sequence).HasColumnName("sequence");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.HasIndex(x => new { x.InstanceId, x.Sequence }).HasDatabaseName("ix_wf_inbox_instance");
            e.HasIndex(x => x.BookmarkId).IsUnique().HasDatabaseName("ux_wf_inbox_bookmark");
        });

        modelBuilder.Entity<WorkflowJournalRecord>(e =>
        {
            e.ToTable("wf_journal");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(x => x.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(x => x.Sequence).HasColumnName("sequence");
            e.Property(x => x.ActivityId).HasColumnName("activity_id").HasMaxLength(128);
            e.Property(x => x.ActivityType).HasColumnName("activity_type").HasMaxLength(256);
            e.Property(x => x.ActivityTypeVersion).HasColumnName("activity_type_version");
            e.Property(x => x.ActivityName).HasColumnName("activity_name").HasMaxLength(256);
            e.Property(x => x.EventName).HasColumnName("event_name").HasMaxLength(32);
            e.Property(x => x.StartedAt).HasColumnName("started_at");
            e.Property(x => x.CompletedAt).HasColumnName("completed_at");
            e.Property(x => x.Outcomes).HasColumnName("outcomes");
            e.Property(x => x.Message).HasColumnName("message");
            e.Property(x => x.Error).HasColumnName("error");
            e.HasIndex(x => new { x.InstanceId, x.Sequence }).IsUnique().HasDatabaseName("ux_wf_journal_instance_sequence");
        });

        modelBuilder.Entity<WorkflowIncidentRecord>(e =>
        {
            e.ToTable("wf_incidents");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasColumnName("id").HasMaxLength(64);
            e.Property(x => x.InstanceId).HasColumnName("instance_id").HasMaxLength(64);
            e.Property(x => x.ActivityId).HasColumnName("activity_id").HasMaxLength(128);
            e.Property(x => x.ActivityType).HasColumnName("activity_type").HasMaxLength(256);
            e.Property(x => x.Message).HasColumnName("message");
            e.Property(x => x.Exception).HasColumnName("exception");
            e.Property(x => x.Timestamp).HasColumnName("timestamp");
            e.Property(x => x.ResolvedAt).HasColumnName("resolved_at");
            e.HasIndex(x => x.InstanceId).HasDatabaseName("ix_wf_incidents_instance");
        });

        // Times are stored as unix milliseconds so both providers can order and compare them in SQL.
        foreach (var type in new[] { typeof(WorkflowDefinitionRecord), typeof(WorkflowInstanceRecord), typeof(WorkflowBookmarkRecord), typeof(WorkflowInboxRecord), typeof(WorkflowJournalRecord), typeof(WorkflowIncidentRecord) })
        {
            foreach (var property in modelBuilder.Entity(type).Metadata.GetProperties())
            {
                if (property.ClrType == typeof(DateTimeOffset))
                {
                    property.SetValueConverter(UnixMilliseconds);
                }
                else if (property.ClrType == typeof(DateTimeOffset?))
                {
                    property.SetValueConverter(NullableUnixMilliseconds);
                }
            }
        }

        return modelBuilder;
    }

    private static readonly ValueConverter<DateTimeOffset, long> UnixMilliseconds =
        new(v => v.ToUnixTimeMilliseconds(), v => DateTimeOffset.FromUnixTimeMilliseconds(v));

    private static readonly ValueConverter<DateTimeOffset?, long?> NullableUnixMilliseconds =
        new(v => v.HasValue ? v.Value.ToUnixTimeMilliseconds() : null, v => v.HasValue ? DateTimeOffset.FromUnixTimeMilliseconds(v.Value) : null);
}
