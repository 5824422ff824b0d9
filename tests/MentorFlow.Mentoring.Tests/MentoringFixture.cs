using MentorFlow.Graph;
using MentorFlow.Mentoring.Domain;
using MentorFlow.Mentoring.Links;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Mentoring.Services;
using MentorFlow.Testing;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MentorFlow.Mentoring.Tests;

/// <summary>A small DbContext with the mentoring tables and the engine's and outbox's (which erasure and export reach), as module tests use.</summary>
public sealed class TestMentoringDbContext(DbContextOptions<TestMentoringDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.AddMentoringModel().AddWorkflowEngineModel().AddGraphModel();
}

public sealed class TestContextFactory(string connectionString, bool postgres = false) : IDbContextFactory<TestMentoringDbContext>
{
    public TestMentoringDbContext CreateDbContext() =>
        new((postgres
            ? new DbContextOptionsBuilder<TestMentoringDbContext>().UseNpgsql(connectionString)
            : new DbContextOptionsBuilder<TestMentoringDbContext>().UseSqlite(connectionString)).Options);
}

/// <summary>Each test gets its own SQLite file (or PostgreSQL database), a fake clock and the real services.</summary>
public sealed class MentoringFixture : IDisposable, IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly string? _path;
    private readonly TestPostgres? _postgres;

    public MentoringFixture()
        : this(Path.Combine(Path.GetTempPath(), $"mf-mentoring-{Guid.NewGuid():N}.db"), null)
    {
    }

    private MentoringFixture(string? path, TestPostgres? postgres)
    {
        _path = path;
        _postgres = postgres;
        Factory = postgres is null ? new TestContextFactory($"Data Source={path};Pooling=False") : new TestContextFactory(postgres.ConnectionString, postgres: true);
        using (var db = Factory.CreateDbContext())
        {
            db.Database.EnsureCreated();
        }

        var database = new MentoringDb<TestMentoringDbContext>(Factory);
        Links = new ParticipantLinks(Options.Create(new LinkOptions { SigningKey = new string('k', 40), PublicBaseUrl = "https://mentoring.test" }), Clock);
        Programmes = new ProgrammeService(database, Clock);
        Participation = new ParticipationService(database, Clock);
        Partnership = new PartnershipService(database, Clock);
        Exports = new ExportService(database);
        Privacy = new PrivacyService(database, Clock);
        Matching = new MatchingService(database, Clock, Options.Create(new MatchingOptions { MinScore = 0.2 }));
        Choices = new MentorChoiceService(database, Clock);
    }

    public MentorChoiceService Choices { get; }

    public MatchingService Matching { get; }

    public FakeTimeProvider Clock { get; } = new(Start);
    public TestContextFactory Factory { get; }
    public ParticipantLinks Links { get; }
    public ProgrammeService Programmes { get; }
    public ParticipationService Participation { get; }
    public PartnershipService Partnership { get; }
    public ExportService Exports { get; }
    public PrivacyService Privacy { get; }

    public static ProgrammeInput ValidProgramme() => new()
    {
        Name = "Data community mentoring 2026",
        Description = "Mentoring for the data community.",
        OrganizerMailbox = "mentoring@contoso.test",
        TimeZone = "Europe/London",
        Language = "en",
        Resources = [new ResourceInput("Mentoring guide", "https://contoso.test/guide")],
        LengthOptions = ["3-6", "6-9"],
        TargetMenteesPerMentor = 2,
        PollClosesAt = Start.AddDays(14),
        ApplicationsCloseAt = Start.AddDays(35),
        DefaultMeetingFrequency = "every-2-weeks",
        DefaultCommunication = "video",
        ConfirmationDays = 5,
        KickOffDays = 7,
    };

    public static ApplicationInput ValidApplication(string id, string role, string email) => new()
    {
        Id = id,
        Role = role,
        Name = "Person " + id,
        Email = email,
        TimeZone = "Europe/Madrid",
        Interests = ["data-science", "public-speaking"],
        CareerPath = "engineering-management",
        Goals = ["leadership"],
        Expertise = ["python"],
        SeniorityYears = role == "mentor" ? 12 : 2,
        HoursPerMonth = 4,
        PreferredLength = "3-6",
        Communication = ["video"],
        Languages = ["en", "es"],
        Capacity = role == "mentor" ? 2 : null,
        Statement = "I want to grow.",
    };

    public async Task<Programme> ProgrammeInPhaseAsync(ProgrammePhase phase, ProgrammeInput? input = null)
    {
        var programme = await Programmes.CreateAsync(input ?? ValidProgramme(), "manager");
        if (phase != ProgrammePhase.Draft)
        {
            programme = await Programmes.MoveToAsync(programme.Id, phase == ProgrammePhase.Poll ? ProgrammePhase.Poll : ProgrammePhase.Applications, "manager");
        }

        if (phase is ProgrammePhase.Matching or ProgrammePhase.Running)
        {
            programme = await Programmes.MoveToAsync(programme.Id, ProgrammePhase.Matching, "manager");
        }

        return phase == ProgrammePhase.Running ? await Programmes.MoveToAsync(programme.Id, ProgrammePhase.Running, "manager") : programme;
    }

    /// <summary>
    /// A programme taking applications (<paramref name="input"/> or <see cref="ValidProgramme"/>) with mentors m1..mN
    /// (the given capacity, two interests each) and mentees e1..eN (one interest each), interests in rotation.
    /// </summary>
    public async Task<Programme> CohortAsync(int mentors, int mentees, int capacity = 2, ProgrammeInput? input = null)
    {
        var programme = await ProgrammeInPhaseAsync(ProgrammePhase.Applications, input);
        string[] interests = ["data-science", "public-speaking", "leadership", "sql"];
        for (var i = 1; i <= mentors; i++)
        {
            await Participation.AddAsync(programme.Id, ValidApplication($"m{i}", "mentor", $"m{i}@c.test") with
            {
                Capacity = capacity,
                Interests = [interests[i % 4], interests[(i + 1) % 4]],
                Goals = [interests[i % 4]],
            }, "manager");
        }

        for (var i = 1; i <= mentees; i++)
        {
            await Participation.AddAsync(programme.Id, ValidApplication($"e{i}", "mentee", $"e{i}@c.test") with
            {
                Interests = [interests[i % 4]],
                Goals = [interests[i % 4]],
            }, "manager");
        }

        return programme;
    }

    /// <summary>An approved pair (mentor m1, mentee e1) written straight to the database.</summary>
    public async Task<(Programme Programme, Pair Pair, Application Mentor, Application Mentee)> ApprovedPairAsync()
    {
        var programme = await ProgrammeInPhaseAsync(ProgrammePhase.Applications);
        var mentor = await Participation.AddAsync(programme.Id, ValidApplication("m1", "mentor", "mentor@contoso.test"), "manager");
        var mentee = await Participation.AddAsync(programme.Id, ValidApplication("e1", "mentee", "mentee@contoso.test"), "manager");
        var pair = new Pair { Id = Guid.NewGuid(), ProgrammeId = programme.Id, MentorId = mentor.Id, MenteeId = mentee.Id, Score = 0.8, Reasons = "shared interests", Status = PairStatus.Approved };
        await using var db = Factory.CreateDbContext();
        db.Add(pair);
        await db.SaveChangesAsync();
        return (programme, pair, mentor, mentee);
    }

    public LinkClaims Claims(LinkPurpose purpose, Guid programmeId, string participant, string subject = "") =>
        Links.Verify(Links.Issue(purpose, programmeId, participant, subject)).Claims!;

    public LinkClaims PairClaims(LinkPurpose purpose, Pair pair, Application who, int? round = null) =>
        Claims(purpose, pair.ProgrammeId, PartnershipService.ParticipantRef(who.Id), PartnershipService.PairRef(pair.Id, round));

    /// <summary>The same services on a throwaway database of the real PostgreSQL server (MENTORFLOW_TEST_POSTGRES).</summary>
    public static async Task<MentoringFixture> PostgresAsync() => new(null, await TestPostgres.CreateAsync("mf_mentoring_"));

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        else
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        if (_path is null)
        {
            return;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }
}
