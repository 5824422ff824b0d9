using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Mentoring.Persistence;

/// <summary>Creates a unit of work on the deployment's DbContext (which includes <see cref="MentoringModel"/>).</summary>
public interface IMentoringDb
{
    Task<DbContext> CreateAsync(CancellationToken cancellationToken = default);
}

internal sealed class MentoringDb<TContext>(IDbContextFactory<TContext> factory) : IMentoringDb
    where TContext : DbContext
{
    public async Task<DbContext> CreateAsync(CancellationToken cancellationToken = default) =>
        await factory.CreateDbContextAsync(cancellationToken);
}
