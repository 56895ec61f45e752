using Buurtcentra.Tests.Support;

namespace Buurtcentra.Tests.CentreManagement;

/// <summary>Signs in a staff member of a given role, as the management tests need them.</summary>
internal static class Staff
{
    public static async Task<Browser> SignInAsync(AppFactory app, TestData data, string role, long? organisationId = null, long[]? centreIds = null)
    {
        var userId = await data.UserAsync(role, organisationId, centreIds);
        var browser = new Browser(app);
        await browser.SignInAsync(await data.EmailOfAsync(userId));
        return browser;
    }
}
