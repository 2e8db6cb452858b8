package io.streamroutes.media;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;

import org.w3c.dom.NodeList;

/**
 * The ICC profile a PNG carries ({@code iCCP}), which the JDK's PNG reader ignores: its pixels are converted to sRGB
 * here so that a wide-gamut PNG keeps its colours. (Both JPEG readers convert embedded profiles themselves.) A profile
 * that cannot be parsed is ignored, as image viewers do: the pixels are then taken as sRGB.
 */
final class EmbeddedProfiles {

    private static final String PNG_METADATA = "javax_imageio_png_1.0";

    private EmbeddedProfiles() {
    }

    /** The PNG's profile, or null when it has none or a broken one. */
    static ICC_Profile pngProfile(IIOMetadata metadata) {
        if (metadata == null || !PNG_METADATA.equals(metadata.getNativeMetadataFormatName())) {
            return null;
        }
        NodeList iccp = ((IIOMetadataNode) metadata.getAsTree(PNG_METADATA)).getElementsByTagName("iCCP");
        if (iccp.getLength() == 0 || !(((IIOMetadataNode) iccp.item(0)).getUserObject() instanceof byte[] data)) {
            return null;
        }
        try {
            return ICC_Profile.getInstance(inflate(data));
        } catch (IllegalArgumentException | DataFormatException e) {
            try {
                return ICC_Profile.getInstance(data); // some readers hand it over already inflated
            } catch (IllegalArgumentException notAProfile) {
                return null;
            }
        }
    }

    /**
     * The image's colour bands converted from the profile to sRGB, in place (alpha untouched). Only RGB profiles on
     * images with three colour bands are converted; anything else is left as it is.
     */
    static BufferedImage toSrgb(BufferedImage image, ICC_Profile profile) {
        if (profile == null || profile.getColorSpaceType() != ColorSpace.TYPE_RGB
            || image.getColorModel().getNumColorComponents() != 3 || image.getColorModel().getColorSpace().getType() != ColorSpace.TYPE_RGB) {
            return image;
        }
        WritableRaster raster = image.getRaster();
        if (raster.getNumBands() < 3 || image.getColorModel() instanceof java.awt.image.IndexColorModel) {
            return image;
        }
        WritableRaster colour = raster.getNumBands() == 3 ? raster
                : raster.createWritableChild(0, 0, raster.getWidth(), raster.getHeight(), 0, 0, new int[] {0, 1, 2});
        ColorConvertOp op = new ColorConvertOp(new ICC_ColorSpace(profile), ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
        // a destination of the same sample size: the op's own default is 8-bit, which would darken a 16-bit PNG
        WritableRaster converted = colour.createCompatibleWritableRaster();
        op.filter(colour, converted);
        colour.setRect(converted);
        return image;
    }

    private static byte[] inflate(byte[] compressed) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 3);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated ICC profile");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
