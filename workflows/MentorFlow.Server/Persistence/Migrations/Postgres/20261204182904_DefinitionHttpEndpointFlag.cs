using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DefinitionHttpEndpointFlag : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "has_http_endpoint",
                table: "wf_definitions",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // The versions saved before the flag: the same ordinal text test the record applies when its JSON is set.
            migrationBuilder.Sql("UPDATE wf_definitions SET has_http_endpoint = TRUE WHERE strpos(json, 'Elsa.HttpEndpoint') > 0;");

            migrationBuilder.CreateIndex(
                name: "ix_wf_definitions_http_endpoints",
                table: "wf_definitions",
                column: "id",
                filter: "is_published AND has_http_endpoint");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wf_definitions_http_endpoints",
                table: "wf_definitions");

            migrationBuilder.DropColumn(
                name: "has_http_endpoint",
                table: "wf_definitions");
        }
    }
}
