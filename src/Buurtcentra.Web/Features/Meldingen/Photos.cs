using SkiaSharp;

namespace Buurtcentra.Web.Features.Meldingen;

/// <summary>A photo ready to store: JPEG, no metadata, at most <see cref="Photos.MaxSide"/> pixels on its longest side.</summary>
public sealed record ProcessedPhoto(byte[] Jpeg, int Width, int Height);

/// <summary>
/// Checks and cleans uploaded photos. What a file is, is decided by decoding its content (never by its name or the
/// browser's content type); a file that does not decode as JPEG, PNG, WebP or GIF is refused. Every photo is decoded
/// and encoded again as a new JPEG: nothing of the original file survives, so no EXIF, GPS position, camera serial or
/// hidden payload. The EXIF orientation is applied to the pixels first, so the photo still stands the right way up.
/// </summary>
public static class Photos
{
    public const int MaxCount = 3;
    public const long MaxBytes = 5 * 1024 * 1024;
    public const int MaxSide = 2000;
    private const int MaxSourcePixels = 50_000_000; // refuse decompression bombs before allocating
    private static readonly SKEncodedImageFormat[] Allowed = [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Gif];

    /// <summary>Returns the cleaned photo, or a Dutch message saying why the file was refused.</summary>
    public static (ProcessedPhoto? Photo, string? Error) Process(Stream content, long length, string displayName)
    {
        if (length > MaxBytes) return (null, $"De foto ‘{displayName}’ is groter dan 5 MB. Kies een kleinere foto.");
        if (length == 0) return (null, $"Het bestand ‘{displayName}’ is leeg.");
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        if (buffer.Length > MaxBytes) return (null, $"De foto ‘{displayName}’ is groter dan 5 MB. Kies een kleinere foto.");
        var bytes = buffer.ToArray();

        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data);
        if (codec is null || !Allowed.Contains(codec.EncodedFormat))
        {
            return (null, $"Het bestand ‘{displayName}’ is geen foto. Kies een foto (JPG, PNG, WebP of GIF).");
        }
        if ((long)codec.Info.Width * codec.Info.Height > MaxSourcePixels)
        {
            return (null, $"De foto ‘{displayName}’ heeft te veel pixels. Kies een kleinere foto.");
        }
        using var decoded = SKBitmap.Decode(codec, codec.Info.WithColorType(SKColorType.Rgba8888).WithAlphaType(SKAlphaType.Premul));
        if (decoded is null) return (null, $"De foto ‘{displayName}’ is beschadigd. Kies een andere foto.");

        using var upright = Orient(decoded, codec.EncodedOrigin);
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(upright.Width, upright.Height));
        var width = Math.Max(1, (int)Math.Round(upright.Width * scale));
        var height = Math.Max(1, (int)Math.Round(upright.Height * scale));

        // Draw on white: transparent PNG areas would turn black in a JPEG.
        using var target = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.White);
            using var image = SKImage.FromBitmap(upright);
            canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        using var output = SKImage.FromBitmap(target);
        using var jpeg = output.Encode(SKEncodedImageFormat.Jpeg, 85);
        return (new ProcessedPhoto(jpeg.ToArray(), width, height), null);
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default) return source.Copy();
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(result);
        float w = source.Width, h = source.Height;
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2, h / 2); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2); break;
            case SKEncodedOrigin.LeftTop: canvas.Scale(-1, 1, h / 2, 0); canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(h, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Scale(-1, 1, h / 2, 0); canvas.Translate(0, w); canvas.RotateDegrees(270); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, w); canvas.RotateDegrees(270); break;
        }
        canvas.DrawBitmap(source, 0, 0);
        return result;
    }
}
