// The real server as a child process of the crash harness (MentorFlow.Testing.Server.Crash.CrashHarness), which kills
// it with SIGKILL at random points and starts it again on the same database. See CrashChildServer for the settings.
return await MentorFlow.Testing.Server.Crash.CrashChildServer.RunAsync(args);
