// The shipped weights, loaded once on first use. `require` of JSON keeps loading synchronous and lets
// webpack bundle the files into the engine's build (no path to resolve at run time).
import { decodeModel, type LinearModel, type SentimentModelFile } from './linear-model';

let english: LinearModel | null = null;
let chinese: LinearModel | null = null;

export function englishModel(): LinearModel {
  english ??= decodeModel(require('../../model/sentiment-en.model.json') as SentimentModelFile);
  return english;
}

export function chineseModel(): LinearModel {
  chinese ??= decodeModel(require('../../model/sentiment-zh.model.json') as SentimentModelFile);
  return chinese;
}
