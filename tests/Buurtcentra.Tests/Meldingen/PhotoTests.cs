using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Buurtcentra.Tests.Support;
using Buurtcentra.Web.Features.Meldingen;
using SkiaSharp;

namespace Buurtcentra.Tests.Meldingen;

/// <summary>Fixtures made here, in the test: a renamed executable, a 6 MB image, a phone-like JPEG with GPS EXIF.</summary>
internal static class PhotoFixtures
{
    public static byte[] Jpeg(int width = 64, int height = 48)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(200, 40, 40));
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
    }

    public static byte[] Png(int width = 40, int height = 30)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor(20, 90, 200, 128));
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>Random noise does not compress: a PNG of about 6 MB.</summary>
    public static byte[] LargePng()
    {
        var random = new Random(42);
        using var bitmap = new SKBitmap(1300, 1200, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[bitmap.ByteCount];
        random.NextBytes(pixels);
        System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 0).ToArray();
    }

    /// <summary>
    /// A pixel flood: a one-bit greyscale PNG of 7000 × 7000 white pixels, a few kilobytes on disk, 196 MB once decoded to
    /// RGBA. Written by hand (IHDR, one zlib IDAT, IEND), because encoders do not write one-bit images.
    /// </summary>
    public static byte[] PixelFloodPng(int side = 7000)
    {
        var raw = new byte[(1 + (side + 7) / 8) * side]; // per row: filter byte 0, then bits (0 = black)
        for (var row = 0; row < side; row++) Array.Fill(raw, (byte)0xFF, row * (1 + (side + 7) / 8) + 1, (side + 7) / 8);
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(raw);
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, side);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), side);
        header[8] = 1; // bit depth 1, colour type 0 (grey), deflate, filter 0, no interlace
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>The start of this process's own executable: a real program, to be uploaded as "foto.jpg".</summary>
    public static byte[] Executable()
    {
        using var file = File.OpenRead(Environment.ProcessPath!);
        var bytes = new byte[Math.Min(file.Length, 64 * 1024)];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The marker in the GPS block: 52°05'24.00" N (Utrecht), as EXIF rationals.</summary>
    public static readonly byte[] GpsMarker = [52, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0x60, 0x09, 0, 0, 100, 0, 0, 0];

    /// <summary>A JPEG with an EXIF APP1 segment holding a GPS IFD (latitude 52°05'24" N), as phones write it.</summary>
    public static byte[] JpegWithGps()
    {
        var tiff = new List<byte>();
        void U16(int v) { tiff.Add((byte)v); tiff.Add((byte)(v >> 8)); }
        void U32(int v) { U16(v & 0xFFFF); U16(v >> 16); }
        tiff.AddRange("II"u8.ToArray()); U16(42); U32(8);               // TIFF header, IFD0 at 8
        U16(1); U16(0x8825); U16(4); U32(1); U32(26); U32(0);           // IFD0: GPSInfo pointer -> 26
        U16(2);                                                         // GPS IFD at 26: 2 entries
        U16(0x0001); U16(2); U32(2); tiff.AddRange("N\0\0\0"u8.ToArray()); // GPSLatitudeRef = "N"
        U16(0x0002); U16(5); U32(3); U32(56);                           // GPSLatitude -> 56
        U32(0);
        tiff.AddRange(GpsMarker);                                       // 3 rationals at 56
        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var length = payload.Length + 2;
        var app1 = new byte[] { 0xFF, 0xE1, (byte)(length >> 8), (byte)length }.Concat(payload);
        var jpeg = Jpeg(80, 60);
        return jpeg.Take(2).Concat(app1).Concat(jpeg.Skip(2)).ToArray();
    }

    public static bool Contains(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle) >= 0;
}

/// <summary>In the database collection only to run alone: the decode counter it reads is for the whole process.</summary>
[Collection(DatabaseCollection.Name)]
public sealed class PhotoProcessingTests
{
    [Fact]
    public async Task A_renamed_executable_is_refused_by_its_content()
    {
        var (photo, error) = await Photos.ProcessAsync(new MemoryStream(PhotoFixtures.Executable()), PhotoFixtures.Executable().Length, "foto.jpg");
        Assert.Null(photo);
        Assert.Equal("Het bestand ‘foto.jpg’ is geen foto. Kies een foto (JPG, PNG, WebP of GIF).", error);
    }

    [Fact]
    public async Task An_image_over_5_mb_is_refused_even_when_the_length_is_not_told()
    {
        var large = PhotoFixtures.LargePng();
        Assert.True(large.Length > 5 * 1024 * 1024 && large.Length < 7 * 1024 * 1024, $"fixture is {large.Length} bytes");
        Assert.Contains("groter dan 5 MB", (await Photos.ProcessAsync(new MemoryStream(large), large.Length, "groot.png")).Error);
        Assert.Contains("groter dan 5 MB", (await Photos.ProcessAsync(new MemoryStream(large), 1000, "groot.png")).Error);
    }

    [Fact]
    public async Task Gps_and_all_other_exif_are_gone_after_re_encoding()
    {
        var original = PhotoFixtures.JpegWithGps();
        Assert.True(PhotoFixtures.Contains(original, PhotoFixtures.GpsMarker));
        Assert.True(PhotoFixtures.Contains(original, "Exif"u8.ToArray()));
        using (var codec = SKCodec.Create(new MemoryStream(original))) Assert.Equal(80, codec.Info.Width); // the fixture is a valid JPEG

        var (photo, error) = await Photos.ProcessAsync(new MemoryStream(original), original.Length, "IMG_0001.jpg");
        Assert.Null(error);
        Assert.False(PhotoFixtures.Contains(photo!.Jpeg, PhotoFixtures.GpsMarker));
        Assert.False(PhotoFixtures.Contains(photo.Jpeg, "Exif"u8.ToArray()));
        Assert.Equal((80, 60), (photo.Width, photo.Height));
        using var cleaned = SKCodec.Create(new MemoryStream(photo.Jpeg));
        Assert.Equal(SKEncodedImageFormat.Jpeg, cleaned.EncodedFormat);
    }

    [Fact]
    public async Task A_pixel_flood_is_refused_from_its_header_before_any_pixel_memory_is_asked_for()
    {
        var flood = PhotoFixtures.PixelFloodPng();
        Assert.True(flood.Length < 64 * 1024, $"fixture is {flood.Length} bytes");
        using (var codec = SKCodec.Create(new MemoryStream(flood))) Assert.Equal((7000, 7000), (codec.Info.Width, codec.Info.Height)); // a valid PNG

        var before = Photos.DecodedBytes;
        var (photo, error) = await Photos.ProcessAsync(new MemoryStream(flood), flood.Length, "plaatje.png");
        Assert.Null(photo);
        Assert.Equal("De foto ‘plaatje.png’ heeft te veel pixels (7000 × 7000). Kies een kleinere foto.", error);
        Assert.Equal(before, Photos.DecodedBytes);
    }

    [Fact]
    public async Task A_large_jpeg_is_decoded_at_a_reduced_size_so_its_pixel_memory_stays_within_the_bound()
    {
        // 6000 × 4000 (24 megapixels, 96 MB as RGBA at full size): the JPEG decoder stops at 3/8, 2250 × 1500.
        var large = PhotoFixtures.Jpeg(6000, 4000);
        var before = Photos.DecodedBytes;
        var (photo, error) = await Photos.ProcessAsync(new MemoryStream(large), large.Length, "groot.jpg");
        Assert.Null(error);
        Assert.Equal((2000, 1333), (photo!.Width, photo.Height));
        Assert.Equal(4L * (2250 * 1500 + 2000 * 1333), Photos.DecodedBytes - before);
        Assert.True(Photos.DecodedBytes - before <= 4 * Photos.MaxDecodedPixels + 4L * Photos.MaxSide * Photos.MaxSide);
    }

    [Fact]
    public async Task A_png_becomes_a_jpeg_and_large_photos_are_scaled_down()
    {
        var (photo, _) = await Photos.ProcessAsync(new MemoryStream(PhotoFixtures.Png()), PhotoFixtures.Png().Length, "a.png");
        using (var codec = SKCodec.Create(new MemoryStream(photo!.Jpeg))) Assert.Equal(SKEncodedImageFormat.Jpeg, codec.EncodedFormat);
        var wide = PhotoFixtures.Jpeg(3000, 1500);
        var (scaled, _) = await Photos.ProcessAsync(new MemoryStream(wide), wide.Length, "breed.jpg");
        Assert.Equal((2000, 1000), (scaled!.Width, scaled.Height));
    }
}

public sealed partial class PhotoUploadTests(DatabaseFixture fixture) : DatabaseTest(fixture)
{
    [GeneratedRegex(@"https?://[^/\s]+(/melding/[A-Za-z0-9_\-]+)")]
    private static partial Regex PrivateLinkPattern();

    private static async Task<HttpResponseMessage> PostMultipartAsync(Browser browser, string url, IEnumerable<(string Name, string Value)> fields,
        IEnumerable<(string FileName, byte[] Content)> files)
    {
        var token = await browser.TokenFromAsync(url);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
        };
        foreach (var (name, value) in fields) content.Add(new StringContent(value), name);
        foreach (var (fileName, bytes) in files)
        {
            var file = new ByteArrayContent(bytes);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg"); // what the browser claims does not matter
            content.Add(file, "Photos", fileName);
        }
        return await browser.Client.PostAsync(url, content);
    }

    private static (string, string)[] Fields(long roomId) =>
    [
        ("RoomId", roomId.ToString()), ("Category", "heel"), ("Kind", "technisch"), ("Urgency", "normaal"),
        ("Description", "Het raam in de keuken is gebroken."), ("ReporterName", "Fatima"), ("ReporterEmail", "fatima@example.org"),
    ];

    [Fact]
    public async Task Four_anonymous_reports_with_three_pixel_floods_each_decode_nothing_and_keep_memory_bounded()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Keuken", type: "keuken");
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var url = $"/melden/{slug}/{roomId}";
        var flood = PhotoFixtures.PixelFloodPng();
        var visitor = new Browser(App);
        await visitor.GetPageAsync(url); // warm up: the first request compiles views and fills caches

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var decodedBefore = Photos.DecodedBytes;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < 4; i++)
        {
            var response = await PostMultipartAsync(visitor, url, Fields(roomId), [("a.png", flood), ("b.png", flood), ("c.png", flood)]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("heeft te veel pixels (7000 × 7000)", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
        }
        // Before: each file decoded to 196 MB of native memory, three per request. Now: refused from the header.
        Assert.Equal(decodedBefore, Photos.DecodedBytes);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated / 1024 / 1024} MB allocated for four small requests");
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from meldingen"));
    }

    [Fact]
    public async Task Photos_are_checked_cleaned_stored_and_shown_only_to_people_who_may_see_the_melding()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Keuken", type: "keuken");
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var url = $"/melden/{slug}/{roomId}";
        var visitor = new Browser(App);

        var executable = await PostMultipartAsync(visitor, url, Fields(roomId), [("foto.jpg", PhotoFixtures.Executable())]);
        Assert.Equal(HttpStatusCode.OK, executable.StatusCode);
        Assert.Contains(WebUtility.HtmlEncode("is geen foto"), await executable.Content.ReadAsStringAsync());
        var large = await PostMultipartAsync(visitor, url, Fields(roomId), [("groot.png", PhotoFixtures.LargePng())]);
        Assert.Contains("groter dan 5 MB", await large.Content.ReadAsStringAsync());
        var four = await PostMultipartAsync(visitor, url, Fields(roomId), Enumerable.Range(1, 4).Select(i => ($"{i}.jpg", PhotoFixtures.Jpeg())));
        Assert.Contains("U kunt hoogstens 3 foto", await four.Content.ReadAsStringAsync());
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from meldingen"));
        Assert.Equal(0, await Data.ScalarAsync<int>("select count(*)::int from melding_photos"));

        var sent = await PostMultipartAsync(visitor, url, Fields(roomId), [("IMG_0001.jpg", PhotoFixtures.JpegWithGps()), ("scherm.png", PhotoFixtures.Png())]);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var id = await Data.ScalarAsync<long>("select max(id) from meldingen");
        var stored = (await Data.ScalarAsync<byte[]>("select content from melding_photos where melding_id = @id and position = 1", new { id }));
        Assert.False(PhotoFixtures.Contains(stored, PhotoFixtures.GpsMarker));
        Assert.False(PhotoFixtures.Contains(stored, "Exif"u8.ToArray()));
        Assert.Equal(2, await Data.ScalarAsync<int>("select count(*)::int from melding_photos where melding_id = @id", new { id }));
        var photoId = await Data.ScalarAsync<long>("select id from melding_photos where melding_id = @id and position = 1", new { id });

        var body = await Data.ScalarAsync<string>("select text_body from outbox where to_address = 'fatima@example.org' and kind = 'melding_ontvangen'");
        var link = PrivateLinkPattern().Match(body).Groups[1].Value;
        Assert.Contains($"{link}/fotos/{photoId}", await visitor.GetPageAsync(link));
        var photo = await visitor.Client.GetAsync($"{link}/fotos/{photoId}");
        Assert.Equal(HttpStatusCode.OK, photo.StatusCode);
        Assert.Equal("image/jpeg", photo.Content.Headers.ContentType!.MediaType);
        Assert.Equal(stored, await photo.Content.ReadAsByteArrayAsync());

        // Not to strangers: anonymous, a beheerder of another centre, or through another melding's link.
        Assert.NotEqual(HttpStatusCode.OK, (await new Browser(App).Client.GetAsync($"/meldingen/{id}/fotos/{photoId}")).StatusCode);
        var strangerId = await Data.UserAsync("sociaal_beheerder", centreIds: [await Data.CentreAsync("Elders")]);
        var stranger = new Browser(App);
        await stranger.SignInAsync(await Data.EmailOfAsync(strangerId));
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/meldingen/{id}/fotos/{photoId}")).StatusCode);

        var other = new Browser(App);
        await PostMultipartAsync(other, url, [.. Fields(roomId).Where(f => f.Item1 is not ("ReporterEmail" or "Category")), ("Category", "schoon"), ("ReporterEmail", "kees@example.org")], []);
        var otherLink = PrivateLinkPattern().Match(await Data.ScalarAsync<string>(
            "select text_body from outbox where to_address = 'kees@example.org' and kind = 'melding_ontvangen'")).Groups[1].Value;
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync($"{otherLink}/fotos/{photoId}")).StatusCode);

        // Staff of the centre see the photo.
        var beheerder = new Browser(App);
        await beheerder.SignInAsync(await Data.EmailOfAsync(await Data.UserAsync("sociaal_beheerder", centreIds: [centreId])));
        Assert.Contains($"/meldingen/{id}/fotos/{photoId}", await beheerder.GetPageAsync($"/beheer/meldingen/{id}"));
        Assert.Equal(HttpStatusCode.OK, (await beheerder.Client.GetAsync($"/meldingen/{id}/fotos/{photoId}")).StatusCode);
    }

    [Fact]
    public async Task When_the_form_comes_back_the_page_says_plainly_to_choose_the_photos_again()
    {
        var centreId = await Data.CentreAsync("De Boog");
        var roomId = await Data.RoomAsync(centreId, "Keuken", type: "keuken");
        var slug = await Data.ScalarAsync<string>("select slug from centres where id = @centreId", new { centreId });
        var url = $"/melden/{slug}/{roomId}";
        var visitor = new Browser(App);
        Assert.DoesNotContain("nog niet verstuurd", WebUtility.HtmlDecode(await visitor.GetPageAsync(url)));

        var missing = await PostMultipartAsync(visitor, url, [.. Fields(roomId).Where(f => f.Item1 != "Description"), ("Description", "")],
            [("1.jpg", PhotoFixtures.Jpeg()), ("2.jpg", PhotoFixtures.Jpeg())]);
        var page = WebUtility.HtmlDecode(await missing.Content.ReadAsStringAsync());
        Assert.Contains("<strong>Let op:</strong> uw 2 foto's zijn nog niet verstuurd. Kies de foto's hieronder opnieuw.", page);
        Assert.Contains("aria-describedby=\"Photos-hint Photos-lost\"", page);

        // The question about a similar melding also brings the form back: one photo, said so.
        Assert.Equal(HttpStatusCode.Redirect, (await PostMultipartAsync(visitor, url, Fields(roomId), [])).StatusCode);
        var similar = await PostMultipartAsync(new Browser(App), url, Fields(roomId), [("1.jpg", PhotoFixtures.Jpeg())]);
        var again = WebUtility.HtmlDecode(await similar.Content.ReadAsStringAsync());
        Assert.Contains("Is dit hetzelfde probleem?", again);
        Assert.Contains("uw foto is nog niet verstuurd. Kies de foto hieronder opnieuw.", again);
    }
}
