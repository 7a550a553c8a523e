import { describe, expect, it } from 'vitest';
import { isInterrogative, isQuestionQuery, leadingLabel } from '../../src/retrieval/text/form.js';
import { porterStem, sStem } from '../../src/retrieval/text/stem.js';
import { createTokenizer } from '../../src/retrieval/text/tokenize.js';

describe('stemming', () => {
  it('maps inflections of one word onto one stem (Porter)', () => {
    const forms = (words: string[]) => new Set(words.map(porterStem));
    expect(forms(['paint', 'paints', 'painted', 'painting'])).toEqual(new Set(['paint']));
    expect(forms(['running', 'runs'])).toEqual(new Set(['run']));
    expect(forms(['adopt', 'adopted', 'adopting', 'adoption'])).toEqual(new Set(['adopt']));
    expect(forms(['promote', 'promoted', 'promotion'])).toEqual(new Set(['promot']));
    expect(forms(['hope', 'hoped', 'hoping', 'hopes']).size).toBe(1);
    expect(porterStem('studies')).toBe(porterStem('study'));
  });

  it('leaves short words, numbers and non-Latin words alone', () => {
    expect(porterStem('is')).toBe('is');
    expect(porterStem('2023')).toBe('2023');
    expect(porterStem('café')).toBe('café');
    expect(porterStem('campus')).toBe('campus');
  });

  it('the S-stemmer strips plurals only', () => {
    expect(sStem('studies')).toBe('study');
    expect(sStem('cats')).toBe('cat');
    expect(sStem('glass')).toBe('glass');
    expect(sStem('painting')).toBe('painting');
  });
});

describe('tokenizer', () => {
  const tok = createTokenizer();

  it('lower-cases, drops stop words, folds possessives and contractions, keeps numbers', () => {
    expect(tok.terms("Caroline's LGBTQ support group met on 8 May, 2023 and I'm happy")).toEqual([
      'carolin',
      'lgbtq',
      'support',
      'group',
      'met',
      '8',
      'mai',
      '2023',
      'happi',
    ]);
  });

  it('splits Unicode words and indexes unsegmented scripts as character bigrams', () => {
    expect(tok.terms('Ünïcode naïve résumé')).toEqual(['ünïcode', 'naïve', 'résumé']);
    expect(tok.terms('東京タワー')).toEqual(['東京', '京タ', 'タワ', 'ワー']);
    expect(tok.words('Γειά σου κόσμε')).toEqual(['γειά', 'σου', 'κόσμε']);
  });

  it('can stem with the S-stemmer or not at all', () => {
    expect(createTokenizer({ stemmer: 's' }).terms('paintings painted')).toEqual(['painting', 'painted']);
    expect(createTokenizer({ stemmer: 'none' }).terms('paintings')).toEqual(['paintings']);
  });
});

describe('surface form', () => {
  it('finds a leading label of one to three words', () => {
    expect(leadingLabel('Caroline: I went to a support group')).toBe('Caroline');
    expect(leadingLabel('Dr. Jane Smith: take two')).toBe('Dr. Jane Smith');
    expect(leadingLabel('Meeting at 10:30 tomorrow')).toBeUndefined();
    expect(leadingLabel('see https://example.com')).toBeUndefined();
  });

  it('tells texts that only ask from statements, ignoring trailing asides', () => {
    expect(isInterrogative('What made you pick it?')).toBe(true);
    expect(isInterrogative('Look at this! Is it nice? [photo: a dog]')).toBe(true);
    expect(isInterrogative('I picked it because it is inclusive.')).toBe(false);
    expect(isQuestionQuery('when did Caroline move')).toBe(true);
    expect(isQuestionQuery('Caroline adoption agency')).toBe(false);
  });
});
