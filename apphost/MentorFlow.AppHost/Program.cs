var builder = DistributedApplication.CreateBuilder(args);
builder.AddProject<Projects.MentorFlow_Server>("server");
builder.Build().Run();
