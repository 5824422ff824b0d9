namespace MentorFlow.Workflows.Activities;

/// <summary>
/// An activity whose embedded body repeats (While, ForEach, ParallelForEach): <c>Elsa.Break</c> inside the body leaves
/// the nearest one.
/// </summary>
internal interface ILoopActivity : IBodyActivity;
