import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Copy, DockerfileParser, type Env, From, type Instruction } from 'dockerfile-ast';

export interface Stage {
  name: string;
  /** The base image with build arguments replaced by their defaults. */
  image: string;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  text: string;
  stages: Stage[];
  /** The stage `docker build` produces without `--target`: the last one. */
  final: Stage;
}

/** Reads the repository's Dockerfile into its stages (with dockerfile-ast, the parser behind the Docker language server). */
export function readDockerfile(root: string): ParsedDockerfile {
  const text = readFileSync(join(root, 'Dockerfile'), 'utf8');
  const dockerfile = DockerfileParser.parse(text);
  const defaults = new Map<string, string>();
  for (const arg of dockerfile.getInitialARGs()) {
    const property = arg.getProperty();
    if (property) defaults.set(property.getName(), property.getValue() ?? '');
  }
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction instanceof From) {
      const image = (instruction.getImage() ?? '').replace(
        /\$\{?(\w+)\}?/g,
        (_, name: string) => defaults.get(name) ?? '',
      );
      // A stage built on an earlier stage runs on that stage's image.
      const base = stages.find((stage) => stage.name === image)?.image ?? image;
      stages.push({ name: instruction.getBuildStage() ?? String(stages.length), image: base, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  const final = stages.at(-1);
  if (!final) throw new Error('the Dockerfile has no FROM');
  return { text, stages, final };
}

export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

/** A stage's ENV settings, later ones winning. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of instructionsOf(stage, 'ENV')) {
    for (const property of (instruction as Env).getProperties()) env[property.getName()] = property.getValue() ?? '';
  }
  return env;
}

export interface CopySpec {
  from?: string;
  sources: string[];
  destination: string;
}

export function copiesOf(stage: Stage): CopySpec[] {
  return instructionsOf(stage, 'COPY').map((instruction) => {
    const copy = instruction as Copy;
    const args = copy.getArguments().map((a) => a.getValue());
    const from = copy.getFromFlag()?.getValue() ?? undefined;
    return { from: from || undefined, sources: args.slice(0, -1), destination: args.at(-1) ?? '' };
  });
}

/** The JSON (exec) form of an instruction's arguments, e.g. `CMD ["node", …]` or `HEALTHCHECK … CMD [...]`. */
export function execForm(instruction: Instruction): string[] {
  const text = instruction.getArgumentsContent() ?? '';
  const json = text.slice(text.indexOf('['));
  return JSON.parse(json) as string[];
}
