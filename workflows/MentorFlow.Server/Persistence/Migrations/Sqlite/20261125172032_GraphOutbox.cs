using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GraphOutbox : Migration
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

            migrationBuilder.CreateIndex(
                name: "ix_graph_outbox_status_next_attempt_at",
                table: "graph_outbox",
                columns: new[] { "status", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "ux_graph_outbox_idempotency_key",
                table: "graph_outbox",
                column: "idempotency_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "graph_outbox");
        }
    }
}
