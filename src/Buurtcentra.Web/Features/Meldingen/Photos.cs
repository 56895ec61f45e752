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

    /// <summary>
    /// The most pixels we ever decode: twice the stored side squared (the coarsest step a codec may have to stop at above
    /// the stored size), 64 MB as RGBA. A source that would decode to more (a pixel flood: a tiny file declaring a huge
    /// image) is refused from its header, before anything is allocated.
    /// </summary>
    public const long MaxDecodedPixels = 4L * MaxSide * MaxSide;

    /// <summary>At most two decodes at a time in the process, so many uploads at once cannot add up.</summary>
    private static readonly SemaphoreSlim Decoding = new(2, 2);

    private static readonly SKEncodedImageFormat[] Allowed = [SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Png, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Gif];

    private static long decodedBytes;

    /// <summary>Pixel memory asked for by all decodes since start (native, outside the GC): tests read it to prove the bound.</summary>
    public static long DecodedBytes => Interlocked.Read(ref decodedBytes);

    /// <summary>Returns the cleaned photo, or a Dutch message saying why the file was refused.</summary>
    public static async Task<(ProcessedPhoto? Photo, string? Error)> ProcessAsync(Stream content, long length, string displayName,
        CancellationToken cancellationToken = default)
    {
        if (length > MaxBytes) return (null, $"De foto ‘{displayName}’ is groter dan 5 MB. Kies een kleinere foto.");
        if (length == 0) return (null, $"Het bestand ‘{displayName}’ is leeg.");
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length > MaxBytes) return (null, $"De foto ‘{displayName}’ is groter dan 5 MB. Kies een kleinere foto.");

        using var data = SKData.CreateCopy(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        using var codec = SKCodec.Create(data);
        if (codec is null || !Allowed.Contains(codec.EncodedFormat))
        {
            return (null, $"Het bestand ‘{displayName}’ is geen foto. Kies een foto (JPG, PNG, WebP of GIF).");
        }
        var decodeSize = DecodeSize(codec);
        if ((long)decodeSize.Width * decodeSize.Height > MaxDecodedPixels)
        {
            return (null, $"De foto ‘{displayName}’ heeft te veel pixels ({codec.Info.Width} × {codec.Info.Height}). Kies een kleinere foto.");
        }

        await Decoding.WaitAsync(cancellationToken);
        try
        {
            return Encode(codec, decodeSize, displayName);
        }
        finally
        {
            Decoding.Release();
        }
    }

    /// <summary>
    /// The size to decode at: the smallest the codec can produce directly (JPEG in eighths, WebP freely) that is still at
    /// least the stored size; the full size for codecs that cannot scale (PNG, GIF).
    /// </summary>
    private static SKSizeI DecodeSize(SKCodec codec)
    {
        var longest = Math.Max(codec.Info.Width, codec.Info.Height);
        if (longest <= MaxSide) return codec.Info.Size;
        var scaled = codec.GetScaledDimensions((float)MaxSide / longest);
        return Math.Max(scaled.Width, scaled.Height) >= MaxSide ? scaled : codec.Info.Size;
    }

    private static (ProcessedPhoto? Photo, string? Error) Encode(SKCodec codec, SKSizeI decodeSize, string displayName)
    {
        var info = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        Interlocked.Add(ref decodedBytes, info.BytesSize64);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return (null, $"De foto ‘{displayName}’ is beschadigd. Kies een andere foto.");

        using var rotated = Orient(decoded, codec.EncodedOrigin);
        var upright = rotated ?? decoded;
        if (rotated is not null) Interlocked.Add(ref decodedBytes, rotated.ByteCount);
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(upright.Width, upright.Height));
        var width = Math.Max(1, (int)Math.Round(upright.Width * scale));
        var height = Math.Max(1, (int)Math.Round(upright.Height * scale));

        // Draw on white: transparent PNG areas would turn black in a JPEG.
        var targetInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        Interlocked.Add(ref decodedBytes, targetInfo.BytesSize64);
        using var target = new SKBitmap(targetInfo);
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

    /// <summary>The pixels turned the way the EXIF orientation says, or null when they already stand right.</summary>
    private static SKBitmap? Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default) return null;
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
