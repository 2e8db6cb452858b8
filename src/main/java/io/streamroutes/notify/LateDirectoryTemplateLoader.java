package io.streamroutes.notify;

import java.io.File;
import java.io.IOException;
import java.io.Reader;

import freemarker.cache.FileTemplateLoader;
import freemarker.cache.TemplateLoader;

/**
 * Templates from files in a directory that may not exist yet (a volume mounted after the start): until it exists every
 * template is missing; from the first lookup after it appears they are read from it, without a restart.
 */
final class LateDirectoryTemplateLoader implements TemplateLoader {

    private final File directory;
    private volatile FileTemplateLoader files;

    LateDirectoryTemplateLoader(File directory) {
        this.directory = directory;
    }

    @Override
    public Object findTemplateSource(String name) throws IOException {
        FileTemplateLoader loader = files;
        if (loader == null) {
            if (!directory.isDirectory()) {
                return null;
            }
            loader = new FileTemplateLoader(directory);
            files = loader;
        }
        return loader.findTemplateSource(name);
    }

    // the methods below get only sources that findTemplateSource returned, so the directory's loader exists

    @Override
    public long getLastModified(Object templateSource) {
        return files.getLastModified(templateSource);
    }

    @Override
    public Reader getReader(Object templateSource, String encoding) throws IOException {
        return files.getReader(templateSource, encoding);
    }

    @Override
    public void closeTemplateSource(Object templateSource) throws IOException {
        files.closeTemplateSource(templateSource);
    }
}
