package io.triggers.architecture.violations.adapters.http;

import dagger.Module;

/** Wrong on purpose: a Dagger module outside bootstrap. */
@Module
public interface HttpModule {}
