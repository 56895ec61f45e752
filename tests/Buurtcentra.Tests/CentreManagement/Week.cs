namespace Buurtcentra.Tests.CentreManagement;

/// <summary>Form fields for the opening-hours page: Days[0] is maandag ... Days[6] is zondag.</summary>
internal static class Week
{
    public static (string, string)[] Empty() => With();

    /// <param name="days">(index, opens1, closes1, opens2, closes2); "" leaves a field empty.</param>
    public static (string, string)[] With(params (int Index, string Opens1, string Closes1, string Opens2, string Closes2)[] days)
    {
        var fields = new List<(string, string)>();
        for (var i = 0; i < 7; i++)
        {
            var day = days.FirstOrDefault(d => d.Index == i);
            var set = days.Any(d => d.Index == i);
            fields.Add(($"Form.Days[{i}].Opens1", set ? day.Opens1 : ""));
            fields.Add(($"Form.Days[{i}].Closes1", set ? day.Closes1 : ""));
            fields.Add(($"Form.Days[{i}].Opens2", set ? day.Opens2 : ""));
            fields.Add(($"Form.Days[{i}].Closes2", set ? day.Closes2 : ""));
        }
        return fields.ToArray();
    }
}
