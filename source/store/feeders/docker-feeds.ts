// Transitional: only source/ui/run.tsx and test/ui/run.test.tsx still import this path, and they
// are outside this change. Once they import EngineStreams from core/streams.ts, delete this file.
export type {EngineStreams as DockerFeeds} from '../../core/streams.js';
