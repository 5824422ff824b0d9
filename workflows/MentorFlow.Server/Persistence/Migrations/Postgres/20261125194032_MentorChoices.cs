using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MentorChoices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mf_mentor_choices",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "uuid", nullable: false),
                    MenteeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Candidates = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OfferedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChooseBy = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PairId = table.Column<Guid>(type: "uuid", nullable: true),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_mentor_choices", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_mentor_choices_mf_applications_MenteeId",
                        column: x => x.MenteeId,
                        principalTable: "mf_applications",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_mf_mentor_choices_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mf_mentor_choices_MenteeId",
                table: "mf_mentor_choices",
                column: "MenteeId");

            migrationBuilder.CreateIndex(
                name: "IX_mf_mentor_choices_ProgrammeId_Status",
                table: "mf_mentor_choices",
                columns: new[] { "ProgrammeId", "Status" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mf_mentor_choices");
        }
    }
}
