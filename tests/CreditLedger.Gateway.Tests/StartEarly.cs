using Xunit.Abstractions;

[assembly: TestCollectionOrderer("CreditLedger.Gateway.Tests.StartEarlyOrderer", "CreditLedger.Gateway.Tests")]

namespace CreditLedger.Gateway.Tests;

/// <summary>
/// Marks a test collection (on its definition) or a test class in a collection of its own as one to start before
/// the others, lower ranks first. The classes marked are the long ones: a chain of classes sharing one engine, or
/// tests that wait on retry schedules and second hosts. Started first, their waits overlap the short classes'
/// work instead of trailing at the end of the run.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StartEarlyAttribute(int rank) : Attribute
{
    public int Rank { get; } = rank;
}

/// <summary>Orders test collections by <see cref="StartEarlyAttribute"/>, then the unmarked ones by name.</summary>
public sealed class StartEarlyOrderer : ITestCollectionOrderer
{
    // The display name xunit gives the collection of a class that names none.
    private const string ClassCollectionPrefix = "Test collection for ";

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(Rank).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    private static int Rank(ITestCollection collection)
    {
        var type = collection.CollectionDefinition
            ?? (collection.DisplayName.StartsWith(ClassCollectionPrefix, StringComparison.Ordinal)
                ? collection.TestAssembly.Assembly.GetType(collection.DisplayName[ClassCollectionPrefix.Length..])
                : null);
        var mark = type?.GetCustomAttributes(typeof(StartEarlyAttribute).AssemblyQualifiedName).FirstOrDefault();
        return mark is null ? int.MaxValue : mark.GetConstructorArguments().Cast<int>().Single();
    }
}
