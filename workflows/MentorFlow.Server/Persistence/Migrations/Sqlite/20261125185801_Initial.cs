using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "graph_outbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    idempotency_key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    target_key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    target_event_id = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    source = table.Column<string>(type: "TEXT", maxLength: 400, nullable: true),
                    sandbox_only = table.Column<bool>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    outcome_unknown = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_attempt_at = table.Column<long>(type: "INTEGER", nullable: true),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    lease_until = table.Column<long>(type: "INTEGER", nullable: true),
                    event_id = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    ical_uid = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    web_link = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    last_status_code = table.Column<int>(type: "INTEGER", nullable: true),
                    last_error_code = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    last_error_message = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_graph_outbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "manager_api_keys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    KeyHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_manager_api_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mf_audit",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: true),
                    At = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Details = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_audit", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mf_programmes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    OrganizerMailbox = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Resources = table.Column<string>(type: "TEXT", nullable: false),
                    LengthOptions = table.Column<string>(type: "TEXT", nullable: false),
                    TargetMenteesPerMentor = table.Column<int>(type: "INTEGER", nullable: false),
                    PollClosesAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ApplicationsCloseAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    RecruitmentEndsAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    RecruitmentMinSeniorityYears = table.Column<int>(type: "INTEGER", nullable: false),
                    DefaultMeetingFrequency = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    DefaultCommunication = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ConfirmationDays = table.Column<int>(type: "INTEGER", nullable: false),
                    KickOffDays = table.Column<int>(type: "INTEGER", nullable: false),
                    MenteeChoosesFromTopThree = table.Column<bool>(type: "INTEGER", nullable: false),
                    Phase = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_programmes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "mf_used_links",
                columns: table => new
                {
                    Nonce = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Purpose = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UsedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_used_links", x => x.Nonce);
                });

            migrationBuilder.CreateTable(
                name: "wf_bookmarks",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    activity_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    correlation_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    due_at = table.Column<long>(type: "INTEGER", nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_bookmarks", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_definitions",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    definition_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    is_latest = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_published = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false),
                    validation_errors = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_definitions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_inbox",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    bookmark_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    correlation_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: true),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_inbox", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_incidents",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    activity_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    activity_type = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    message = table.Column<string>(type: "TEXT", nullable: false),
                    exception = table.Column<string>(type: "TEXT", nullable: true),
                    timestamp = table.Column<long>(type: "INTEGER", nullable: false),
                    resolved_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_incidents", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_instances",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    definition_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    definition_version_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    correlation_id = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    sub_status = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    incident_count = table.Column<int>(type: "INTEGER", nullable: false),
                    has_pending_work = table.Column<bool>(type: "INTEGER", nullable: false),
                    lease_owner = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    lease_expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_instances", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "wf_journal",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    activity_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    activity_type = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    activity_type_version = table.Column<int>(type: "INTEGER", nullable: false),
                    activity_name = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    event_name = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    completed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcomes = table.Column<string>(type: "TEXT", nullable: true),
                    message = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_wf_journal", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mf_applications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ExternalId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    TimeZone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Interests = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CareerPath = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Goals = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Expertise = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    SeniorityYears = table.Column<int>(type: "INTEGER", nullable: false),
                    HoursPerMonth = table.Column<decimal>(type: "TEXT", precision: 9, scale: 2, nullable: true),
                    PreferredLength = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Communication = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Languages = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: true),
                    Statement = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    ErasedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_applications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_applications_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_community_members",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    SeniorityYears = table.Column<int>(type: "INTEGER", nullable: true),
                    ImportedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_community_members", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_community_members_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_match_constraints",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MentorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MenteeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_match_constraints", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_match_constraints_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_matching_runs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    MinScore = table.Column<double>(type: "REAL", nullable: false),
                    Method = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    UnmatchedJson = table.Column<string>(type: "TEXT", nullable: false),
                    ShortageJson = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_matching_runs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_matching_runs_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_poll_responses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Choice = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Topics = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_poll_responses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_poll_responses_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_testimonials",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParticipantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Consent = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_testimonials", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_testimonials_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_pairs",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MentorId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MenteeId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ApprovedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    MentorConfirmedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    MenteeConfirmedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    DeclinedBy = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    MeetingFrequency = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Communication = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Length = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PolicyVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    EndedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    MeetingsHeld = table.Column<int>(type: "INTEGER", nullable: false),
                    LastMeetingOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    KickOffScheduled = table.Column<bool>(type: "INTEGER", nullable: false),
                    Satisfaction = table.Column<double>(type: "REAL", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_pairs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_pairs_mf_applications_MenteeId",
                        column: x => x.MenteeId,
                        principalTable: "mf_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mf_pairs_mf_applications_MentorId",
                        column: x => x.MentorId,
                        principalTable: "mf_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mf_pairs_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_goals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PairId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    TargetDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    MetAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: true),
                    MetMarkedBy = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_goals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_goals_mf_pairs_PairId",
                        column: x => x.PairId,
                        principalTable: "mf_pairs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mf_survey_responses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PairId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ParticipantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Round = table.Column<int>(type: "INTEGER", nullable: false),
                    Rating = table.Column<int>(type: "INTEGER", nullable: false),
                    Met = table.Column<bool>(type: "INTEGER", nullable: true),
                    Comment = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_survey_responses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_survey_responses_mf_pairs_PairId",
                        column: x => x.PairId,
                        principalTable: "mf_pairs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_graph_outbox_status_next_attempt_at",
                table: "graph_outbox",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ux_graph_outbox_idempotency_key",
                table: "graph_outbox",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_manager_api_keys_KeyHash",
                table: "manager_api_keys",
                column: "KeyHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_applications_ProgrammeId_Email",
                table: "mf_applications",
                columns: new[] { "ProgrammeId", "Email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_applications_ProgrammeId_ExternalId",
                table: "mf_applications",
                columns: new[] { "ProgrammeId", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_audit_ProgrammeId",
                table: "mf_audit",
                column: "ProgrammeId");

            migrationBuilder.CreateIndex(
                name: "IX_mf_community_members_ProgrammeId_Email",
                table: "mf_community_members",
                columns: new[] { "ProgrammeId", "Email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_goals_PairId",
                table: "mf_goals",
                column: "PairId");

            migrationBuilder.CreateIndex(
                name: "IX_mf_match_constraints_ProgrammeId_MentorId_MenteeId",
                table: "mf_match_constraints",
                columns: new[] { "ProgrammeId", "MentorId", "MenteeId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_matching_runs_ProgrammeId",
                table: "mf_matching_runs",
                column: "ProgrammeId");

            migrationBuilder.CreateIndex(
                name: "IX_mf_pairs_MenteeId",
                table: "mf_pairs",
                column: "MenteeId");

            migrationBuilder.CreateIndex(
                name: "IX_mf_pairs_MentorId",
                table: "mf_pairs",
                column: "MentorId");

            migrationBuilder.CreateIndex(
                name: "IX_mf_pairs_ProgrammeId_MentorId_MenteeId",
                table: "mf_pairs",
                columns: new[] { "ProgrammeId", "MentorId", "MenteeId" });

            migrationBuilder.CreateIndex(
                name: "IX_mf_pairs_ProgrammeId_Status",
                table: "mf_pairs",
                columns: new[] { "ProgrammeId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_mf_poll_responses_ProgrammeId_Email",
                table: "mf_poll_responses",
                columns: new[] { "ProgrammeId", "Email" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_survey_responses_PairId_ParticipantId_Kind_Round",
                table: "mf_survey_responses",
                columns: new[] { "PairId", "ParticipantId", "Kind", "Round" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_testimonials_ProgrammeId_ParticipantId",
                table: "mf_testimonials",
                columns: new[] { "ProgrammeId", "ParticipantId" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_due",
                table: "wf_bookmarks",
                column: "due_at");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_instance",
                table: "wf_bookmarks",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "ix_wf_bookmarks_name",
                table: "wf_bookmarks",
                columns: new[] { "name", "correlation_id" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_definition_version",
                table: "wf_definitions",
                columns: new[] { "definition_id", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_latest",
                table: "wf_definitions",
                columns: new[] { "definition_id", "is_latest" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_name",
                table: "wf_definitions",
                column: "name");

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_published",
                table: "wf_definitions",
                columns: new[] { "definition_id", "is_published" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_inbox_instance",
                table: "wf_inbox",
                columns: new[] { "instance_id", "sequence" });

            migrationBuilder.CreateIndex(
                name: "ux_wf_inbox_bookmark",
                table: "wf_inbox",
                column: "bookmark_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wf_incidents_instance",
                table: "wf_incidents",
                column: "instance_id");

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_correlation",
                table: "wf_instances",
                column: "correlation_id");

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_created",
                table: "wf_instances",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_definition",
                table: "wf_instances",
                columns: new[] { "definition_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_pending",
                table: "wf_instances",
                columns: new[] { "has_pending_work", "lease_expires_at" });

            migrationBuilder.CreateIndex(
                name: "ix_wf_instances_status",
                table: "wf_instances",
                columns: new[] { "status", "sub_status" });

            migrationBuilder.CreateIndex(
                name: "ux_wf_journal_instance_sequence",
                table: "wf_journal",
                columns: new[] { "instance_id", "sequence" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "graph_outbox");

            migrationBuilder.DropTable(
                name: "manager_api_keys");

            migrationBuilder.DropTable(
                name: "mf_audit");

            migrationBuilder.DropTable(
                name: "mf_community_members");

            migrationBuilder.DropTable(
                name: "mf_goals");

            migrationBuilder.DropTable(
                name: "mf_match_constraints");

            migrationBuilder.DropTable(
                name: "mf_matching_runs");

            migrationBuilder.DropTable(
                name: "mf_poll_responses");

            migrationBuilder.DropTable(
                name: "mf_survey_responses");

            migrationBuilder.DropTable(
                name: "mf_testimonials");

            migrationBuilder.DropTable(
                name: "mf_used_links");

            migrationBuilder.DropTable(
                name: "wf_bookmarks");

            migrationBuilder.DropTable(
                name: "wf_definitions");

            migrationBuilder.DropTable(
                name: "wf_inbox");

            migrationBuilder.DropTable(
                name: "wf_incidents");

            migrationBuilder.DropTable(
                name: "wf_instances");

            migrationBuilder.DropTable(
                name: "wf_journal");

            migrationBuilder.DropTable(
                name: "mf_pairs");

            migrationBuilder.DropTable(
                name: "mf_applications");

            migrationBuilder.DropTable(
                name: "mf_programmes");
        }
    }
}
