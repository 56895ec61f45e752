namespace Buurtcentra.Tests.Support;

/// <summary>One migrated database and one app for all database-backed tests; they run one after another.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public AppFactory App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync(TestDatabase.NameFor("unit"));
        App = new AppFactory(Database);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DatabaseCollection : ICollectionFixture<DatabaseFixture>
{
    public const string Name = "database";
}

/// <summary>Base class: each test starts from an empty database (lookup tables kept).</summary>
[Collection(DatabaseCollection.Name)]
public abstract class DatabaseTest(DatabaseFixture fixture) : IAsyncLifetime
{
    protected DatabaseFixture Fixture { get; } = fixture;
    protected AppFactory App => Fixture.App;
    protected TestData Data => new(Fixture.Database.DataSource);

    public async Task InitializeAsync()
    {
        await Fixture.Database.ResetAsync();
        App.ResetTime();
        foreach (var file in Directory.GetFiles(App.MailFolder)) File.Delete(file);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
