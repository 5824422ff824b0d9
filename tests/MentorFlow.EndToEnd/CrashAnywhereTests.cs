using MentorFlow.Testing;
using MentorFlow.Testing.Server.Crash;
using Xunit.Abstractions;

namespace MentorFlow.EndToEnd;

/// <summary>
/// Crash anywhere, shortened (the full run of 30+ kills is the <c>crash</c> benchmark area): the programme lifecycle
/// with 2 mentors and 6 mentees runs in child server processes that are killed with SIGKILL at seeded random points
/// and restarted on the same database; at the end every pair has exactly one check-in series, every participant got
/// each mail exactly once, no workflow instance is stuck and no timer was lost.
/// </summary>
public sealed class CrashAnywhereTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Lifecycle_KilledThreeTimesAtRandomPointsOnSqlite_LosesDuplicatesAndStrandsNothing()
    {
        var result = await CrashHarness.RunAsync(new CrashOptions { Provider = CrashProvider.Sqlite, Kills = 3, Seed = 11, Mentors = 2 }, output.WriteLine);

        AssertClean(result, kills: 3);
    }

    [Fact]
    public async Task Lifecycle_TwoPostgresReplicasKilledAtRandomPoints_LoseDuplicateAndStrandNothing()
    {
        var admin = Environment.GetEnvironmentVariable(TestPostgres.Variable);
        Assert.False(string.IsNullOrWhiteSpace(admin), $"{TestPostgres.Variable} is not set: run the tests with ./test.sh, or export {TestPostgres.Variable}=\"$(scripts/dev-postgres.sh)\".");

        var result = await CrashHarness.RunAsync(new CrashOptions { Provider = CrashProvider.Postgres, Kills = 3, Seed = 12, Mentors = 2, PostgresAdmin = admin }, output.WriteLine);

        AssertClean(result, kills: 3);
    }

    private void AssertClean(CrashResult result, int kills)
    {
        output.WriteLine(result.Table());
        Assert.True(result.Problems().Count == 0, string.Join(Environment.NewLine, result.Problems()) + (result.Folder is null ? string.Empty : $"\nlogs: {result.Folder}"));
        Assert.Equal(kills, result.Kills);
        Assert.Equal(kills, result.Restarts);
        Assert.Equal(6, result.Pairs);
        Assert.Equal(6, result.SeriesMasters);
        Assert.Equal((0, 0, 0), (result.Lost, result.Duplicated, result.Stuck));
    }
}
