using Buurtcentra.Web.Features.Tariffs;

namespace Buurtcentra.Tests.Tariffs;

public sealed class TariffUnitTests
{
    [Theory]
    [InlineData("12,50", 1250)]
    [InlineData("12", 1200)]
    [InlineData("0", 0)]
    [InlineData("0,5", 50)]
    [InlineData(" € 7,25 ", 725)]
    [InlineData("€7", 700)]
    [InlineData("12,-", 1200)]
    [InlineData("12.50", 1250)]
    [InlineData("12.5", 1250)]
    [InlineData("1.000", 100000)]
    [InlineData("1000,00", 100000)]
    public void Euro_amounts_are_read_the_dutch_way(string input, int cents)
    {
        Assert.Equal((cents, EuroAmount.Problem.None), EuroAmount.Parse(input));
    }

    [Theory]
    [InlineData("", EuroAmount.Problem.Empty)]
    [InlineData("   ", EuroAmount.Problem.Empty)]
    [InlineData(null, EuroAmount.Problem.Empty)]
    [InlineData("twaalf", EuroAmount.Problem.NotAnAmount)]
    [InlineData("12,50 euro", EuroAmount.Problem.NotAnAmount)]
    [InlineData("1,2,3", EuroAmount.Problem.NotAnAmount)]
    [InlineData("-5", EuroAmount.Problem.Negative)]
    [InlineData("12,505", EuroAmount.Problem.TooManyDecimals)]
    [InlineData("1000,01", EuroAmount.Problem.TooHigh)]
    [InlineData("12.500", EuroAmount.Problem.TooHigh)]
    [InlineData("99999999999999999999", EuroAmount.Problem.TooHigh)]
    public void Wrong_euro_amounts_name_their_problem(string? input, EuroAmount.Problem problem)
    {
        Assert.Equal(problem, EuroAmount.Parse(input).Problem);
    }

    [Fact]
    public void Amounts_are_formatted_with_a_decimal_comma_and_no_thousands_separator()
    {
        Assert.Equal("1250,00", EuroAmount.Format(125000));
        Assert.Equal("0,05", EuroAmount.Format(5));
    }

    [Fact]
    public void The_amount_is_rate_times_hours_rounded_to_cents_and_om_niet_costs_nothing()
    {
        Assert.Equal(2500, new Tariff(Tariff.Sociaal, 1250).AmountCents(TimeSpan.FromHours(2)));
        Assert.Equal(1042, new Tariff(Tariff.Commercieel, 1250).AmountCents(TimeSpan.FromMinutes(50)));
        Assert.Equal(0, new Tariff(Tariff.OmNiet, 1250).AmountCents(TimeSpan.FromHours(2)));
    }

    [Fact]
    public void A_tariff_describes_itself_for_requests_and_confirmations()
    {
        Assert.Equal("Sociaal tarief: € 12,50 per uur", new Tariff(Tariff.Sociaal, 1250).Describe());
        Assert.Equal("€ 25,00 (Sociaal tarief: € 12,50 per uur)", new Tariff(Tariff.Sociaal, 1250).Describe(TimeSpan.FromHours(2)));
        Assert.Equal("Om niet (tegen een wederdienst)", new Tariff(Tariff.OmNiet, 0).Describe(TimeSpan.FromHours(2)));
    }

    [Theory]
    [InlineData("Buurtkoor", "Buurtkoor")]
    [InlineData("Koor; alt en sopraan", "\"Koor; alt en sopraan\"")]
    [InlineData("De \"Zangers\"", "\"De \"\"Zangers\"\"\"")]
    [InlineData("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("+31 6", "'+31 6")]
    [InlineData("Regel 1\nRegel 2", "\"Regel 1\nRegel 2\"")]
    public void Csv_cells_are_quoted_when_needed_and_never_run_as_a_formula(string value, string cell)
    {
        Assert.Equal(cell, InvoiceCsv.Cell(value));
    }

    [Theory]
    [InlineData("2027-03", 2027, 3)]
    [InlineData("2027-3", 2027, 3)]
    [InlineData(" 2026-12 ", 2026, 12)]
    public void A_month_is_read_from_the_query_string(string value, int year, int month)
    {
        Assert.Equal(new InvoiceMonth(year, month), InvoiceMonth.TryParse(value));
    }

    [Theory]
    [InlineData("2027-13")]
    [InlineData("2027-00")]
    [InlineData("maart")]
    [InlineData("1999-01")]
    [InlineData("2027-03-01")]
    public void A_wrong_month_is_not_read(string value)
    {
        Assert.Null(InvoiceMonth.TryParse(value));
    }

    [Fact]
    public void A_month_in_utc_runs_from_local_midnight_to_local_midnight_across_the_clock_change()
    {
        var (from, to) = new InvoiceMonth(2027, 3).UtcRange();

        Assert.Equal(new DateTimeOffset(2027, 2, 28, 23, 0, 0, TimeSpan.Zero), from); // winter time, UTC+1
        Assert.Equal(new DateTimeOffset(2027, 3, 31, 22, 0, 0, TimeSpan.Zero), to);   // summer time, UTC+2
    }
}
