using MentorFlow.Graph;
using MentorFlow.Mentoring.Persistence;
using MentorFlow.Workflows.Persistence;
using Microsoft.EntityFrameworkCore;

namespace MentorFlow.Server.Persistence;

/// <summary>
/// The modules' tables. Each module owns a <c>ModelBuilder</c> extension for its entities; adding one here and
/// running <c>./scripts/add-migration.sh Name</c> brings both providers' migrations up to date.
/// </summary>
internal static class MentorFlowModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.AddWorkflowEngineModel();
        modelBuilder.AddMentoringModel();
        modelBuilder.AddGraphModel();
    }
}
