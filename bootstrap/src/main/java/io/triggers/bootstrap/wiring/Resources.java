package io.triggers.bootstrap.wiring;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the server opened (databases, pools, connections), closed in reverse order of opening. */
@Singleton
public final class Resources implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

  private final List<AutoCloseable> opened = new ArrayList<>();

  @Inject
  Resources() {}

  /** Remembers {@code resource} for closing and returns it. */
  synchronized <T extends AutoCloseable> T register(T resource) {
    opened.add(resource);
    return resource;
  }

  /** Closes everything registered, newest first; a failure is logged and the rest still close. */
  @Override
  public synchronized void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {} failed: {}", opened.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    opened.clear();
  }
}
