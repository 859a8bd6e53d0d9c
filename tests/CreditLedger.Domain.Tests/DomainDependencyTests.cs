using System.Runtime.InteropServices;

namespace CreditLedger.Domain.Tests;

/// <summary>The domain stays pure: its assembly references nothing but the .NET base class library.</summary>
public sealed class DomainDependencyTests
{
    [Fact]
    public void DomainAssembly_References_OnlyTheBaseClassLibrary()
    {
        var runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        var references = typeof(CustomerId).Assembly.GetReferencedAssemblies();

        Assert.NotEmpty(references);
        var outsideBcl = references
            .Where(r => !File.Exists(Path.Combine(runtimeDirectory, r.Name + ".dll")))
            .Select(r => r.Name)
            .ToList();
        Assert.Empty(outsideBcl);
    }

    [Theory]
    [InlineData("Orleans")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Npgsql")]
    [InlineData("Microsoft.Extensions")]
    public void DomainAssembly_References_NoInfrastructure(string prefix)
    {
        var references = typeof(CustomerId).Assembly.GetReferencedAssemblies();

        Assert.DoesNotContain(references, r => r.Name!.StartsWith(prefix, StringComparison.Ordinal));
    }
}
