package io.streamroutes.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads what the media route needs from a HEIF file (HEIC, the iPhone default) without decoding it: whether it is
 * one (the {@code ftyp} brands) and the largest image size it declares (the {@code ispe} properties in
 * {@code meta/iprp/ipco}). That size is checked against {@code media.max-pixels} before any decoder runs.
 */
final class HeifHeader {

    private static final Set<String> BRANDS = Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1");
    /** Boxes read into memory are small; a header box larger than this is not a photo's. */
    private static final long MAX_META_BYTES = 16L * 1024 * 1024;

    /** Width and height of the largest image the file declares. */
    record Size(long width, long height) {
        long pixels() {
            return width * height;
        }
    }

    private HeifHeader() {
    }

    /** Whether the first bytes are an ISO-BMFF {@code ftyp} box naming a HEIF brand. */
    static boolean isHeif(byte[] head) {
        if (head.length < 12 || !"ftyp".equals(ascii(head, 4))) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(head);
        long size = Integer.toUnsignedLong(b.getInt(0));
        int end = (int) Math.min(head.length, size < 16 ? head.length : size);
        if (BRANDS.contains(ascii(head, 8))) {
            return true;
        }
        for (int i = 16; i + 4 <= end; i += 4) {
            if (BRANDS.contains(ascii(head, i))) {
                return true;
            }
        }
        return false;
    }

    /** The largest declared image; fails (as a broken file) when the header has none or is malformed. */
    static Size largestImage(SeekableByteChannel file) throws IOException {
        long position = 0;
        long length = file.size();
        while (position + 8 <= length) {
            Box box = box(file, position, length);
            if ("meta".equals(box.type)) {
                if (box.contentSize() > MAX_META_BYTES) {
                    throw new IOException("HEIF meta box of " + box.contentSize() + " bytes");
                }
                ByteBuffer meta = read(file, box.contentStart, (int) box.contentSize());
                Size size = largestIspe(meta, 4, meta.limit()); // meta is a full box: version and flags first
                if (size == null) {
                    throw new IOException("HEIF header declares no image size (no ispe property)");
                }
                return size;
            }
            position = box.end;
        }
        throw new IOException("HEIF file without a meta box");
    }

    private static Size largestIspe(ByteBuffer buf, int from, int to) throws IOException {
        Size largest = null;
        int position = from;
        while (position + 8 <= to) {
            long size = Integer.toUnsignedLong(buf.getInt(position));
            String type = ascii(buf, position + 4);
            int header = 8;
            if (size == 1) {
                if (position + 16 > to) {
                    throw new IOException("truncated HEIF box " + type);
                }
                size = buf.getLong(position + 8);
                header = 16;
            } else if (size == 0) {
                size = to - position;
            }
            if (size < header || position + size > to) {
                throw new IOException("malformed HEIF box " + type);
            }
            int end = (int) (position + size);
            if ("iprp".equals(type) || "ipco".equals(type)) {
                Size inner = largestIspe(buf, position + header, end);
                largest = larger(largest, inner);
            } else if ("ispe".equals(type)) {
                int values = position + header + 4; // full box
                if (values + 8 > end) {
                    throw new IOException("truncated HEIF ispe box");
                }
                largest = larger(largest, new Size(Integer.toUnsignedLong(buf.getInt(values)),
                        Integer.toUnsignedLong(buf.getInt(values + 4))));
            }
            position = end;
        }
        return largest;
    }

    private static Size larger(Size a, Size b) {
        if (a == null) {
            return b;
        }
        return b == null || a.pixels() >= b.pixels() ? a : b;
    }

    private record Box(String type, long contentStart, long end) {
        long contentSize() {
            return end - contentStart;
        }
    }

    private static Box box(SeekableByteChannel file, long position, long length) throws IOException {
        ByteBuffer head = read(file, position, (int) Math.min(16, length - position));
        long size = Integer.toUnsignedLong(head.getInt(0));
        String type = ascii(head, 4);
        long contentStart = position + 8;
        if (size == 1 && head.limit() >= 16) {
            size = head.getLong(8);
            contentStart = position + 16;
        } else if (size == 0) {
            size = length - position;
        }
        if (size < contentStart - position || position + size > length) {
            throw new IOException("malformed HEIF box " + type);
        }
        return new Box(type, contentStart, position + size);
    }

    private static ByteBuffer read(SeekableByteChannel file, long position, int count) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(count);
        file.position(position);
        while (buf.hasRemaining()) {
            if (file.read(buf) < 0) {
                throw new IOException("truncated HEIF file");
            }
        }
        return buf.flip();
    }

    private static String ascii(byte[] bytes, int offset) {
        return new String(bytes, offset, 4, StandardCharsets.ISO_8859_1);
    }

    private static String ascii(ByteBuffer buf, int offset) {
        byte[] four = new byte[4];
        buf.get(offset, four);
        return new String(four, StandardCharsets.ISO_8859_1);
    }
}
