using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Rooms;
using Buurtcentra.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Http;

namespace Buurtcentra.Tests.Rooms;

/// <summary>
/// The handlers on their own, past the validator: what happens when the database refuses (a name taken a moment
/// ago by someone else, a code that no longer exists). The person gets a form error and nothing is half-written.
/// </summary>
public sealed class RoomSavingTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    /// <summary>A fixed request context (the framework's accessor keeps it in an AsyncLocal, which would not outlive the helper).</summary>
    private sealed class FixedContext(HttpContext context) : IHttpContextAccessor
    {
        public HttpContext? HttpContext { get => context; set { } }
    }

    private CentreAccess AccessAs(long userId, string role) => new(Fixture.Database.DataSource, new FixedContext(
        new DefaultHttpContext { User = AuthSetup.CreatePrincipal(userId, "Test", "t@test.example", role, null, Guid.NewGuid()) }));

    private async Task<(AddRoomHandler Add, EditRoomHandler Edit)> HandlersAsync(long centreId)
    {
        var userId = await Data.UserAsync(Roles.SociaalBeheerder, centreIds: [centreId]);
        var access = AccessAs(userId, Roles.SociaalBeheerder);
        return (new AddRoomHandler(Fixture.Database.DataSource, App.Time, access), new EditRoomHandler(Fixture.Database.DataSource, App.Time, access));
    }

    private static RoomForm Form(long centreId, string name, params string[] facilities) =>
        new() { CentreId = centreId, Name = name, RoomType = "zaal", Capacity = 10, Facilities = [.. facilities], Active = true };

    [Fact]
    public async Task Unique_index_violation_on_the_name_becomes_a_field_error()
    {
        var centreId = await Data.CentreAsync();
        await Data.RoomAsync(centreId, "Zaal");
        var (add, _) = await HandlersAsync(centreId);

        var result = await add.HandleAsync(Form(centreId, "zaal"));

        Assert.False(result.Succeeded);
        Assert.Equal("Name", result.Field);
        Assert.Equal("Dit buurtcentrum heeft al een ruimte met de naam ‘zaal’. Kies een andere naam.", result.Error);
    }

    [Fact]
    public async Task A_refused_facility_rolls_back_the_new_room()
    {
        var centreId = await Data.CentreAsync();
        var (add, _) = await HandlersAsync(centreId);

        var result = await add.HandleAsync(Form(centreId, "Nieuwe zaal", "beamer", "bestaat-niet"));

        Assert.Equal(("Facilities", "Kies alleen faciliteiten uit de lijst."), (result.Field, result.Error));
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from rooms"));
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from room_facilities"));
    }

    [Fact]
    public async Task A_refused_accessibility_code_on_edit_leaves_the_room_and_its_facilities_as_they_were()
    {
        var centreId = await Data.CentreAsync();
        var roomId = await Data.RoomAsync(centreId, "Zaal", capacity: 30, facilities: ["beamer"], accessibility: ["lift"]);
        var (_, edit) = await HandlersAsync(centreId);
        var form = Form(centreId, "Andere naam", "piano");
        form.RoomId = roomId;
        form.Accessibility = ["bestaat-niet"];

        var result = await edit.HandleAsync(form);

        Assert.Equal("Accessibility", result.Field);
        Assert.Equal("Zaal", await Data.ScalarAsync<string>("select name from rooms where id = @roomId", new { roomId }));
        Assert.Equal("beamer", await Data.ScalarAsync<string>("select string_agg(facility_code, ',') from room_facilities where room_id = @roomId", new { roomId }));
        Assert.Equal("lift", await Data.ScalarAsync<string>("select string_agg(feature_code, ',') from room_accessibility where room_id = @roomId", new { roomId }));
    }

    [Fact]
    public async Task Handler_refuses_a_centre_the_person_does_not_manage_even_when_called_directly()
    {
        var own = await Data.CentreAsync();
        var other = await Data.CentreAsync();
        var (add, _) = await HandlersAsync(own);

        await Assert.ThrowsAsync<InvalidOperationException>(() => add.HandleAsync(Form(other, "Ingebroken")));
        Assert.Null(await add.FindCentreAsync(other));
        Assert.Equal(0L, await Data.ScalarAsync<long>("select count(*) from rooms"));
    }
}
