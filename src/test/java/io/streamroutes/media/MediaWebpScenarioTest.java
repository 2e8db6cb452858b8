package io.streamroutes.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** routes/media.yaml with {@code media.output-format = webp}: outputs are WebP (alpha kept), upright, sRGB, bare. */
class MediaWebpScenarioTest {

    @RegisterExtension
    static final MediaRoute media = MediaRoute.with(Map.of("media.output-format", "webp", "media.webp.quality", "75"))
            .requiring(Corpus::requireTools);

    @Test
    void phoneJpegBecomesUprightWebpWithoutMetadata() throws Exception {
        Path photo = media.corpus().withExif(media.corpus().picture("phone.jpg", 1200, 900, "-quality", "92"), 6);
        Files.copy(photo, media.root().resolve("originals/phone"));
        Map<String, String> result = process("phone", "resize");
        assertEquals("derived/phone/resized.webp", result.get("output"));
        Path out = media.root().resolve(result.get("output"));
        assertEquals("WEBP 768x1024 sRGB", Corpus.identify(out));
        assertEquals(List.of(), Corpus.metadataGroups(out));
        MediaCorpusTest.assertRed(out, 0.97, 0.03);
        MediaCorpusTest.assertPatch(out, Corpus.PATCH, 15);
        Map<String, String> compressed = process("phone", "compress");
        assertEquals("derived/phone/compressed.webp", compressed.get("output"));
        assertEquals("webp", compressed.get("format"));
        assertEquals("WEBP 900x1200 sRGB", Corpus.identify(media.root().resolve(compressed.get("output"))));
    }

    @Test
    void transparencyIsKept() throws Exception {
        Files.copy(media.corpus().transparentPng("alpha.png"), media.root().resolve("originals/logo"));
        Path out = media.root().resolve(process("logo", "preview").get("output"));
        assertEquals("WEBP 256x171 sRGB", Corpus.identify(out));
        String alpha = Corpus.run(List.of("convert", out.toString(), "-crop", "1x1+230+85", "-format", "%[fx:int(255*a+.5)]", "info:")).strip();
        assertEquals("0", alpha, "the transparent half stays transparent");
    }

    @Test
    void heicBecomesWebp() throws Exception {
        Files.copy(media.corpus().picture("photo.heic", 1200, 900, "-quality", "80"), media.root().resolve("originals/iphone"));
        Path out = media.root().resolve(process("iphone", "resize").get("output"));
        assertEquals("WEBP 1024x768 sRGB", Corpus.identify(out));
        MediaCorpusTest.assertRed(out, 0.03, 0.03);
    }

    private Map<String, String> process(String fileId, String action) throws IOException {
        Map<String, String> result = media.process(fileId, action);
        assertEquals("ok", result.get("status"));
        assertEquals("webp", result.get("format"));
        assertTrue(result.get("output").endsWith(".webp"), result.toString());
        assertEquals(Files.size(media.root().resolve(result.get("output"))), Long.parseLong(result.get("bytes_out")));
        return result;
    }
}
