import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AwsService } from '../aws-caller.js';

// The official botocore service models in reference/: the emulator validates requests against
// them and answers errors with their HTTP status, as AWS does.

export interface ShapeMemberRef {
  readonly shape: string;
}

export interface Shape {
  readonly type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'boolean' | 'timestamp' | 'double' | 'float' | 'blob';
  readonly members?: Readonly<Record<string, ShapeMemberRef>>;
  readonly required?: readonly string[];
  readonly member?: ShapeMemberRef;
  readonly key?: ShapeMemberRef;
  readonly value?: ShapeMemberRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly union?: boolean;
  readonly document?: boolean;
  readonly sensitive?: boolean;
  readonly exception?: boolean;
  readonly fault?: boolean;
  readonly error?: { readonly httpStatusCode?: number };
}

export interface OperationModel {
  readonly name: string;
  readonly input?: ShapeMemberRef;
  readonly output?: ShapeMemberRef;
  readonly errors?: readonly ShapeMemberRef[];
}

export interface ServiceModel {
  readonly service: AwsService;
  readonly targetPrefix: string;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

export const SERVICES: readonly AwsService[] = ['sso-admin', 'identitystore', 'organizations'];

/** reference/ sits at the repository root; this module runs from src/ (tests) or dist/src/ (CLI). */
function referenceDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'reference');
    if (existsSync(path.join(candidate, 'sso-admin.service.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('reference/*.service.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

let cache: ReadonlyMap<AwsService, ServiceModel> | undefined;

export function loadServiceModels(): ReadonlyMap<AwsService, ServiceModel> {
  if (cache) return cache;
  const dir = referenceDir();
  const models = new Map<AwsService, ServiceModel>();
  for (const service of SERVICES) {
    const raw = JSON.parse(readFileSync(path.join(dir, `${service}.service.json`), 'utf8')) as {
      metadata: { targetPrefix: string };
      operations: Record<string, OperationModel>;
      shapes: Record<string, Shape>;
    };
    models.set(service, { service, targetPrefix: raw.metadata.targetPrefix, operations: raw.operations, shapes: raw.shapes });
  }
  cache = models;
  return models;
}

/** `SWBExternalService.ListInstances` → the service and operation, if the prefix is known. */
export function resolveTarget(
  models: ReadonlyMap<AwsService, ServiceModel>,
  target: string,
): { readonly model: ServiceModel; readonly operation: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot < 0) return undefined;
  const prefix = target.slice(0, dot);
  for (const model of models.values()) {
    if (model.targetPrefix === prefix) return { model, operation: target.slice(dot + 1) };
  }
  return undefined;
}

/** The HTTP status AWS answers an error shape with: modelled, else 500 for faults, 400 otherwise. */
export function errorStatus(model: ServiceModel | undefined, errorName: string): number {
  const shape = model?.shapes[errorName];
  if (shape?.error?.httpStatusCode) return shape.error.httpStatusCode;
  if (shape?.fault) return 500;
  return errorName === 'InternalServerException' || errorName === 'ServiceException' ? 500 : 400;
}
