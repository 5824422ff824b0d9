using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GraphSandboxStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "graph_sandbox_events",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    mailbox = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    transaction_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    change_number = table.Column<int>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_graph_sandbox_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "graph_sandbox_messages",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    sender = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    sent_at = table.Column<long>(type: "INTEGER", nullable: false),
                    visible_at = table.Column<long>(type: "INTEGER", nullable: false),
                    document = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_graph_sandbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "graph_sandbox_terms",
                columns: table => new
                {
                    item_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    term = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_graph_sandbox_terms", x => new { x.item_id, x.term });
                });

            migrationBuilder.CreateTable(
                name: "graph_sandbox_tickets",
                columns: table => new
                {
                    nonce = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_graph_sandbox_tickets", x => x.nonce);
                });

            migrationBuilder.CreateIndex(
                name: "ix_graph_sandbox_events_mailbox_created_at",
                table: "graph_sandbox_events",
                columns: new[] { "mailbox", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_graph_sandbox_events_mailbox_transaction",
                table: "graph_sandbox_events",
                columns: new[] { "mailbox", "transaction_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_graph_sandbox_messages_sender_sent_at",
                table: "graph_sandbox_messages",
                columns: new[] { "sender", "sent_at" });

            migrationBuilder.CreateIndex(
                name: "ix_graph_sandbox_terms_term",
                table: "graph_sandbox_terms",
                column: "term");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "graph_sandbox_events");

            migrationBuilder.DropTable(
                name: "graph_sandbox_messages");

            migrationBuilder.DropTable(
                name: "graph_sandbox_terms");

            migrationBuilder.DropTable(
                name: "graph_sandbox_tickets");
        }
    }
}
