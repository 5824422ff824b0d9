using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GraphOutboxTestRunRoute : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "sandbox_only",
                table: "graph_outbox",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "sandbox_only",
                table: "graph_outbox");
        }
    }
}
