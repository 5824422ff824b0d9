namespace MentorFlow.Workflows.Definitions;

public enum DefinitionOrderBy
{
    Name,
    Created,
    Version,
}
