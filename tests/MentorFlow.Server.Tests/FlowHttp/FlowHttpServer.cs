using MentorFlow.Server.Tests.Infrastructure;

namespace MentorFlow.Server.Tests.FlowHttp;

/// <summary>The server in front of the flows' HTTP Endpoints (own SQLite file, known manager key, fake clock).</summary>
public sealed class FlowHttpServer : ServerFactory;
