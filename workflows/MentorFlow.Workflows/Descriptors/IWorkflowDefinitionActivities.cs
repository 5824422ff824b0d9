namespace MentorFlow.Workflows.Descriptors;

/// <summary>
/// The flows offered as activities (Elsa's workflow-definition activities): one descriptor per version of each flow
/// whose options say <c>usableAsActivity</c>, read from the stored definitions on every call, so publishing,
/// retracting or deleting a flow shows at once. Only the published version is browsable (in the toolbox); the others
/// describe the nodes that pin them.
/// </summary>
public interface IWorkflowDefinitionActivities
{
    Task<IReadOnlyList<ActivityDescriptor>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The definition ids of the flows whose latest version uses <paramref name="definitionId"/> as an activity,
    /// directly or through flows that do (Elsa's consumers); at most 200 flows are followed.
    /// </summary>
    Task<IReadOnlyList<string>> ConsumersAsync(string definitionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The published version of each of <paramref name="definitionIds"/> that has one, in one query (at most
    /// <c>2000</c> distinct ids are looked up): what a node using one of these flows could be upgraded to (Elsa's
    /// <c>latestAvailablePublishedVersion</c>).
    /// </summary>
    Task<IReadOnlyList<Definitions.WorkflowDefinitionSummary>> PublishedVersionsAsync(IReadOnlyCollection<string> definitionIds, CancellationToken cancellationToken = default);
}
