using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FlowIncidents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mf_flow_incidents",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProgrammeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    SubjectKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubjectId = table.Column<Guid>(type: "uuid", nullable: false),
                    DefinitionId = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    InstanceId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Problem = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Message = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ResolvedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_mf_flow_incidents", x => x.Id);
                    table.ForeignKey(
                        name: "FK_mf_flow_incidents_mf_programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "mf_programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_mf_flow_incidents_Key",
                table: "mf_flow_incidents",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_mf_flow_incidents_ProgrammeId_ResolvedAt",
                table: "mf_flow_incidents",
                columns: new[] { "ProgrammeId", "ResolvedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mf_flow_incidents");
        }
    }
}
