using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MentorFlow.Server.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProgrammeVocabulary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CareerPathTerms",
                table: "mf_programmes",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "GoalTerms",
                table: "mf_programmes",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "InterestTerms",
                table: "mf_programmes",
                type: "text",
                nullable: false,
                defaultValue: "[]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CareerPathTerms",
                table: "mf_programmes");

            migrationBuilder.DropColumn(
                name: "GoalTerms",
                table: "mf_programmes");

            migrationBuilder.DropColumn(
                name: "InterestTerms",
                table: "mf_programmes");
        }
    }
}
