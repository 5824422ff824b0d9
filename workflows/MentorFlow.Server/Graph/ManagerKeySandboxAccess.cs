using MentorFlow.Graph.Sandbox;
using MentorFlow.Server.Security;

namespace MentorFlow.Server.Graph;

/// <summary>The sandbox's pages and controls accept the server's manager API keys (the same key ring as the API).</summary>
public sealed class ManagerKeySandboxAccess(ManagerKeyRing keys) : ISandboxAccessPolicy
{
    public bool IsManagerKey(string key) => keys.IsValid(key);
}
