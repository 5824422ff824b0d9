using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.Studio;

/// <summary>The real server (own SQLite file, known manager key, fake clock) as an xunit class fixture.</summary>
public sealed class StudioServer : ServerFactory;
