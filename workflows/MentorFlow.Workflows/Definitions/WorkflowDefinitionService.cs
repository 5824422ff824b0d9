using System.Text.Json;
using System.Text.Json.Nodes;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Workflows.Definitions;

internal sealed class WorkflowDefinitionService<TContext>(
    IDbContextFactory<TContext> dbFactory,
    DefinitionValidator validator,
    Runtime.FlowchartCache cache,
    WorkflowDefinitionActivities<TContext> definitionActivities,
    TimeProvider clock) : IWorkflowDefinitionService
    where TContext : DbContext
{
    private static readonly JsonSerializerOptions ErrorJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public IReadOnlyList<ValidationError> Validate(JsonObject model) => validator.Validate((JsonObject)model.DeepClone());

    public async Task<SaveDraftResult> ImportAsync(string json, CancellationToken cancellationToken = default) =>
        await SaveDraftAsync(DefinitionReader.ParseModel(json), cancellationToken);

    public async Task<SaveDraftResult> SaveDraftAsync(JsonObject model, CancellationToken cancellationToken = default)
    {
        model = (JsonObject)model.DeepClone();
        DefinitionReader.Normalize(model);
        var definitionId = DefinitionReader.Str(model, "definitionId");
        if (string.IsNullOrWhiteSpace(definitionId))
        {
            definitionId = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N")[..16];
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var errors = await ValidateAsync(db, definitionId, model, cancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>();
        var name = DefinitionReader.Str(model, "name");
        if (!string.IsNullOrWhiteSpace(name) && await set.AnyAsync(d => d.Name == name && d.DefinitionId != definitionId, cancellationToken))
        {
            errors.Add(new ValidationError(null, "name", $"Another workflow definition is already named '{name}'."));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var latest = await set.FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsLatest, cancellationToken);
        var now = clock.GetUtcNow();
        WorkflowDefinitionRecord record;
        var created = false;
        if (latest is null || latest.IsPublished)
        {
            var maxVersion = await set.Where(d => d.DefinitionId == definitionId).MaxAsync(d => (int?)d.Version, cancellationToken) ?? 0;
            if (latest is not null)
            {
                latest.IsLatest = false;
                SetFlags(latest);
            }

            record = new WorkflowDefinitionRecord
            {
                Id = Guid.CreateVersion7(now).ToString("N")[..16] + Guid.NewGuid().ToString("N")[..8],
                DefinitionId = definitionId,
                Version = maxVersion + 1,
                IsLatest = true,
                IsPublished = false,
                CreatedAt = now,
                Json = "{}",
            };
            set.Add(record);
            created = latest is null;
        }
        else
        {
            record = latest;
        }

        record.Name = name;
        record.Description = DefinitionReader.Str(model, "description");
        Stamp(model, record);
        record.Json = model.ToJsonString();
        record.ValidationErrors = JsonSerializer.Serialize(errors, ErrorJson);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new SaveDraftResult(ToVersion(record), errors, created);
    }

    public async Task<PublishResult> PublishAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var latest = await set.FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsLatest, cancellationToken);
        if (latest is null)
        {
            return new PublishResult(false, null, false, [new ValidationError(null, "definitionId", $"Workflow definition '{definitionId}' does not exist.")]);
        }

        if (latest.IsPublished)
        {
            return new PublishResult(true, ToVersion(latest), true, []);
        }

        var model = (JsonObject)JsonNode.Parse(latest.Json)!;
        var errors = await ValidateAsync(db, definitionId, model, cancellationToken);
        if (!string.IsNullOrWhiteSpace(latest.Name) && await set.AnyAsync(d => d.Name == latest.Name && d.DefinitionId != definitionId, cancellationToken))
        {
            errors.Add(new ValidationError(null, "name", $"Another workflow definition is already named '{latest.Name}'."));
        }

        if (errors.Count == 0)
        {
            // Two published flows may not answer the same method and path under /workflows.
            errors.AddRange(await Activities.Http.HttpEndpointRouter<TContext>.ConflictsAsync(
                set, cache, cache.Get(latest.Id, latest.DefinitionId, latest.Version, latest.Json), cancellationToken));
        }

        if (errors.Count > 0)
        {
            return new PublishResult(false, ToVersion(latest), false, errors);
        }

        foreach (var published in await set.Where(d => d.DefinitionId == definitionId && d.IsPublished).ToListAsync(cancellationToken))
        {
            published.IsPublished = false;
            SetFlags(published);
        }

        latest.IsPublished = true;
        latest.ValidationErrors = "[]";
        SetFlags(latest);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PublishResult(true, ToVersion(latest), false, []);
    }

    public async Task<WorkflowDefinitionVersion?> RetractAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var published = await db.Set<WorkflowDefinitionRecord>().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsPublished, cancellationToken);
        if (published is null)
        {
            return null;
        }

        published.IsPublished = false;
        SetFlags(published);
        await db.SaveChangesAsync(cancellationToken);
        return ToVersion(published);
    }

    public async Task<WorkflowDefinitionVersion?> RevertAsync(string definitionId, int version, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var source = await set.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, cancellationToken);
        if (source is null)
        {
            return null;
        }

        var maxVersion = await set.Where(d => d.DefinitionId == definitionId).MaxAsync(d => d.Version, cancellationToken);
        foreach (var latest in await set.Where(d => d.DefinitionId == definitionId && d.IsLatest).ToListAsync(cancellationToken))
        {
            latest.IsLatest = false;
            SetFlags(latest);
        }

        var now = clock.GetUtcNow();
        var record = new WorkflowDefinitionRecord
        {
            Id = Guid.CreateVersion7(now).ToString("N")[..16] + Guid.NewGuid().ToString("N")[..8],
            DefinitionId = definitionId,
            Name = source.Name,
            Description = source.Description,
            Version = maxVersion + 1,
            IsLatest = true,
            IsPublished = false,
            CreatedAt = now,
            Json = source.Json,
            ValidationErrors = source.ValidationErrors,
        };
        SetFlags(record);
        set.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ToVersion(record);
    }

    public async Task<int> DeleteAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<WorkflowDefinitionRecord>().Where(d => d.DefinitionId == definitionId).ExecuteDeleteAsync(cancellationToken);
    }

    public async Task<bool> DeleteVersionAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await set.FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (record is null)
        {
            return false;
        }

        set.Remove(record);
        await db.SaveChangesAsync(cancellationToken);
        if (record.IsLatest)
        {
            var previous = await set.Where(d => d.DefinitionId == record.DefinitionId).OrderByDescending(d => d.Version).FirstOrDefaultAsync(cancellationToken);
            if (previous is not null)
            {
                previous.IsLatest = true;
                SetFlags(previous);
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<WorkflowDefinitionVersion?> FindAsync(string definitionId, VersionOptions versionOptions, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await QueryVersion(db.Set<WorkflowDefinitionRecord>().AsNoTracking(), definitionId, versionOptions).FirstOrDefaultAsync(cancellationToken);
        return record is null ? null : ToVersion(record);
    }

    public async Task<WorkflowDefinitionVersion?> FindByIdAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Set<WorkflowDefinitionRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, cancellationToken);
        return record is null ? null : ToVersion(record);
    }

    public async Task<PagedResult<WorkflowDefinitionSummary>> ListAsync(DefinitionQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var set = db.Set<WorkflowDefinitionRecord>().AsNoTracking();
        var q = set;
        if (query.VersionOptions is { } options)
        {
            q = options.Kind switch
            {
                "Latest" => q.Where(d => d.IsLatest),
                "Published" => q.Where(d => d.IsPublished),
                "LatestOrPublished" => q.Where(d => d.IsPublished || (d.IsLatest && !set.Any(p => p.DefinitionId == d.DefinitionId && p.IsPublished))),
                "LatestAndPublished" => q.Where(d => d.IsLatest || d.IsPublished),
                "Draft" => q.Where(d => d.IsLatest && !d.IsPublished),
                "SpecificVersion" => q.Where(d => d.Version == options.Version),
                _ => q,
            };
        }

        if (query.DefinitionIds is { Count: > 0 } definitionIds)
        {
            q = q.Where(d => definitionIds.Contains(d.DefinitionId));
        }

        if (query.Ids is { Count: > 0 } ids)
        {
            q = q.Where(d => ids.Contains(d.Id));
        }

        if (query.IsPublished is { } isPublished)
        {
            q = q.Where(d => d.IsPublished == isPublished);
        }

        if (!string.IsNullOrWhiteSpace(query.SearchTerm))
        {
            var term = query.SearchTerm.Trim();
            q = q.Where(d => (d.Name != null && d.Name.Contains(term)) || d.DefinitionId.Contains(term) || (d.Description != null && d.Description.Contains(term)));
        }

        var total = await q.LongCountAsync(cancellationToken);
        var descending = query.Descending ?? query.OrderBy != DefinitionOrderBy.Name;
        q = (query.OrderBy, descending) switch
        {
            (DefinitionOrderBy.Created, false) => q.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id),
            (DefinitionOrderBy.Created, true) => q.OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id),
            (DefinitionOrderBy.Version, false) => q.OrderBy(d => d.Version).ThenBy(d => d.Id),
            (DefinitionOrderBy.Version, true) => q.OrderByDescending(d => d.Version).ThenBy(d => d.Id),
            (_, false) => q.OrderBy(d => d.Name).ThenBy(d => d.DefinitionId).ThenBy(d => d.Version),
            (_, true) => q.OrderByDescending(d => d.Name).ThenBy(d => d.DefinitionId).ThenBy(d => d.Version),
        };
        if (query.Page is { } page && query.PageSize is { } size)
        {
            var pageSize = Math.Clamp(size, 1, 1000);
            q = q.Skip(Math.Max(0, page) * pageSize).Take(pageSize);
        }

        var rows = await q.Select(d => new WorkflowDefinitionSummary(d.Id, d.DefinitionId, d.Name, d.Description, d.Version, d.IsLatest, d.IsPublished, d.CreatedAt))
            .ToListAsync(cancellationToken);
        return new PagedResult<WorkflowDefinitionSummary>(rows, total);
    }

    public async Task<bool> IsNameUniqueAsync(string name, string? definitionId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return !await db.Set<WorkflowDefinitionRecord>().AnyAsync(d => d.Name == name && (definitionId == null || d.DefinitionId != definitionId), cancellationToken);
    }

    public async Task<string?> ExportAsync(string definitionId, VersionOptions versionOptions, CancellationToken cancellationToken = default)
    {
        var version = await FindAsync(definitionId, versionOptions, cancellationToken);
        return version?.Model.ToJsonString(Indented);
    }

    /// <summary>The validator's errors and those of the flows the model starts (used as activities, cycles).</summary>
    private async Task<List<ValidationError>> ValidateAsync(TContext db, string definitionId, JsonObject model, CancellationToken cancellationToken)
    {
        var (referenceErrors, used) = await definitionActivities.CheckAsync(db, definitionId, model, cancellationToken);
        var errors = validator.Validate(model, used).ToList();
        errors.AddRange(referenceErrors);
        return errors;
    }

    internal static IQueryable<WorkflowDefinitionRecord> QueryVersion(IQueryable<WorkflowDefinitionRecord> set, string definitionId, VersionOptions options)
    {
        var q = set.Where(d => d.DefinitionId == definitionId);
        return options.Kind switch
        {
            "Published" => q.Where(d => d.IsPublished),
            "LatestOrPublished" => q.Where(d => d.IsPublished || d.IsLatest).OrderByDescending(d => d.IsPublished).ThenByDescending(d => d.Version),
            "Draft" => q.Where(d => d.IsLatest && !d.IsPublished),
            "SpecificVersion" => q.Where(d => d.Version == options.Version),
            "LatestAndPublished" or "AllVersions" => q.OrderByDescending(d => d.Version),
            _ => q.Where(d => d.IsLatest),
        };
    }

    private static void Stamp(JsonObject model, WorkflowDefinitionRecord record)
    {
        model["id"] = record.Id;
        model["definitionId"] = record.DefinitionId;
        model["version"] = record.Version;
        model["isLatest"] = record.IsLatest;
        model["isPublished"] = record.IsPublished;
        model["createdAt"] ??= record.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void SetFlags(WorkflowDefinitionRecord record)
    {
        var model = (JsonObject)JsonNode.Parse(record.Json)!;
        if (model.Count == 0)
        {
            return;
        }

        Stamp(model, record);
        record.Json = model.ToJsonString();
    }

    private static WorkflowDefinitionVersion ToVersion(WorkflowDefinitionRecord record) => new(
        record.Id,
        record.DefinitionId,
        record.Name,
        record.Description,
        record.Version,
        record.IsLatest,
        record.IsPublished,
        record.CreatedAt,
        (JsonObject)JsonNode.Parse(record.Json)!,
        JsonSerializer.Deserialize<List<ValidationError>>(record.ValidationErrors, ErrorJson) ?? []);
}
