package io.triggers.adapters.postgres;

import io.triggers.core.model.TriggersException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/** One caller's request, the rows it counts for and the answer it waits for. */
final class BatchedRequest<Q, A> {

  private final Q request;
  private final int rows;
  private final CompletableFuture<A> answer = new CompletableFuture<>();

  BatchedRequest(Q request, int rows) {
    this.request = request;
    this.rows = rows;
  }

  Q request() {
    return request;
  }

  int rows() {
    return rows;
  }

  void complete(A result) {
    answer.complete(result);
  }

  void fail(TriggersException failure) {
    answer.completeExceptionally(failure);
  }

  /** The answer as a stage, completed on the writer's thread. */
  CompletionStage<A> answer() {
    return answer;
  }

  A await() {
    try {
      return answer.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TriggersException failure) {
        throw failure;
      }
      throw new TriggersException("a batched statement failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TriggersException(
          "interrupted while waiting for the database; the request may or may not have run", e);
    }
  }
}
